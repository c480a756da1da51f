import type { DomainContext } from "../workspace/DomainContext.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { moveServedAlias, type AliasMove } from "./moveServedAlias.js";
import { policySchedule, startMonitoring } from "../monitoring/monitor/startMonitoring.js";
import { type MonitoringStartSummary, monitoringStartSummary } from "../monitoring/monitor/MonitoringStartSummary.js";

/** A version deployed under an alias: the alias move (gate report, override, loaded model, deployment commit), when, and the drift monitoring it started. */
export interface Deployment extends AliasMove {
  deployed_at: string;
  monitoring: MonitoringStartSummary;
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
  const ws = ctx.workspace;
  // Read before anything moves: a broken monitoring policy stops the deploy instead of leaving it unmonitored.
  const schedule = await policySchedule(ws);
  // One serialized step: the alias moves and its monitoring starts (every deploy path starts it).
  const { move, started } = await ws.withLock(async () => {
    const move = await moveServedAlias(ctx, { ...args, step: "deploy_model", record: "always", now });
    const started = await startMonitoring(ws, { model: args.model, alias: args.alias, now, reason: "deploy_model", schedule });
    return { move, started };
  });
  return { ...move, deployed_at: now.toISOString(), monitoring: monitoringStartSummary(started, schedule, args.model, args.alias) };
}
