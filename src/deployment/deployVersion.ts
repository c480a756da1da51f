import type { DomainContext } from "../workspace/DomainContext.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { moveServedAlias, type AliasMove } from "./moveServedAlias.js";

/** A version deployed under an alias: the alias move (gate report, override, loaded model, deployment commit) and when. */
export interface Deployment extends AliasMove {
  deployed_at: string;
}

/**
 * Deploys a registered version (the newest when `version` is not given) under an alias, as
 * deploy_model and productionize do: under one workspace lock, the deploy gate (governance and
 * policy) for that version and alias, the version's model loaded and scored on an example row,
 * the deployment recorded under refs/dw/deployments/<name>/<alias> and the alias moved. The version
 * resolved is the one deployed; a version that is blocked or does not load changes nothing.
 * Starting the server and checking that it answers is the caller's (src/server/confirmServing.ts).
 *
 * @example
 * ```ts
 * const d = await deployVersion(ctx, { model: "temp", alias: "production" });
 * d.info.version; d.previous; d.report.decision;
 * ```
 */
export async function deployVersion(
  ctx: DomainContext,
  args: { model: string; version?: number; alias: string; overrideReason?: string },
): Promise<Deployment> {
  checkModelName(args.model);
  checkAlias(args.alias);
  const now = ctx.now();
  const move = await ctx.workspace.withLock(() => moveServedAlias(ctx, { ...args, step: "deploy_model", record: "always", now }));
  return { ...move, deployed_at: now.toISOString() };
}
