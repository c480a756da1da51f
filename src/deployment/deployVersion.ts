import type { DomainContext } from "../workspace/DomainContext.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { moveServedAlias, type AliasMove } from "./moveServedAlias.js";
import { policySchedule, startMonitoring } from "../monitoring/monitor/startMonitoring.js";
import { type MonitoringStartSummary, monitoringStartSummary } from "../monitoring/monitor/MonitoringStartSummary.js";
import type { MonitoringSchedule } from "../monitoring/monitor/MonitoringRecord.js";

/** A version deployed under an alias: the alias move (gate report, override, loaded model, deployment commit), when, and the policy's drift schedule for its monitoring. */
export interface Deployment extends AliasMove {
  deployed_at: string;
  schedule: MonitoringSchedule;
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
  // Read before anything moves: a broken monitoring policy stops the deploy instead of leaving it unmonitored.
  const schedule = await policySchedule(ctx.workspace);
  const move = await ctx.workspace.withLock(() => moveServedAlias(ctx, { ...args, step: "deploy_model", record: "always", now }));
  return { ...move, deployed_at: now.toISOString(), schedule };
}

/**
 * Starts the drift monitoring of a deployment (a commit on refs/dw/monitoring/<name>/<alias>), as
 * its own locked step once the caller has seen the server answer with the new version: the alias
 * move stays the short step it was, so a deploy killed right after it leaves the server switching
 * as soon as anything asks. A deploy killed before this step is still monitored: the running dw
 * serve starts monitoring of a deployed alias that has none within a second (src/monitoring/monitor/).
 *
 * @example
 * ```ts
 * const d = await deployVersion(ctx, { model: "temp", alias: "production" });
 * (await startDeployMonitoring(ctx, d, "temp", "production")).state; // "started"
 * ```
 */
export async function startDeployMonitoring(ctx: DomainContext, d: Deployment, model: string, alias: string): Promise<MonitoringStartSummary> {
  const ws = ctx.workspace;
  const started = await ws.withLock(() => startMonitoring(ws, { model, alias, now: ctx.now(), reason: "deploy_model", schedule: d.schedule }));
  return monitoringStartSummary(started, d.schedule, model, alias);
}
