import type { DomainContext } from "../workspace/DomainContext.js";
import { readRun } from "../runs/readRun.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { nameFrom } from "../workspace/refNames.js";
import { findRunVersion } from "../registry/findRunVersion.js";
import { registerVersion } from "../registry/registerVersion.js";
import { deployVersion, type Deployment } from "./deployVersion.js";

/**
 * What the Productionize button does: registers the run's model (or reuses the version it is
 * already registered as, under `modelName` when given) and deploys that version under the alias.
 * A new registration is named `modelName`, else after the run's target. A deployment that is
 * blocked leaves the registration made.
 *
 * @example
 * ```ts
 * const p = await productionizeRun(ctx, { runId: run.run_id, alias: "production" });
 * p.modelName; p.version; p.deployment.previous;
 * ```
 */
export async function productionizeRun(
  ctx: DomainContext,
  args: { runId: string; modelName?: string; alias: string; notebook?: string },
): Promise<{ run: RunRecord; modelName: string; version: number; newlyRegistered: boolean; deployment: Deployment }> {
  const { run } = await readRun(ctx.workspace, args.runId, "run_id");
  const existing = await findRunVersion(ctx.workspace, run.run_id, args.modelName);
  let modelName: string;
  let version: number;
  if (existing) {
    ({ name: modelName, version } = existing);
  } else {
    modelName = args.modelName ?? defaultModelName(run.target);
    ({ version } = (await registerVersion(ctx, { runId: run.run_id, modelName, notebook: args.notebook })).registration);
  }
  const deployment = await deployVersion(ctx, { model: modelName, version, alias: args.alias });
  return { run, modelName, version, newlyRegistered: !existing, deployment };
}

/** The run's target made into a model name, or "model" when nothing of it is left. */
function defaultModelName(target: string): string {
  return nameFrom(target, 100) || "model";
}
