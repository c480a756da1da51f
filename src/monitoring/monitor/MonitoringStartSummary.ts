import { z } from "zod";
import { MonitoringSchedule, monitoringRef } from "./MonitoringRecord.js";
import type { MonitoringStart } from "./startMonitoring.js";

/** How a deploy reports the drift monitoring it started (deploy_model, productionize). */
export const MonitoringStartSummary = z
  .object({
    state: z.enum(["started", "not_started"]).describe("not_started only when the alias was undeployed before monitoring could start."),
    version: z.number().int().nullable().describe("The version monitored: the one the alias serves."),
    started_at: z
      .string()
      .nullable()
      .describe("When monitoring of this version began (a redeploy of the monitored version keeps its start, checks and alert)."),
    schedule: MonitoringSchedule,
    ref: z.string().describe("Each drift check dw serve runs is a commit here: git log <ref>."),
  })
  .describe("Drift monitoring started with the endpoint: dw serve checks the logged requests on the policy's schedule (monitoring.drift in dw.policy.yaml).");
export type MonitoringStartSummary = z.infer<typeof MonitoringStartSummary>;

/**
 * The start as a deploy reports it; an alias undeployed before monitoring could start has nothing
 * to monitor.
 *
 * @example
 * ```ts
 * monitoringStartSummary(started, schedule, "temp", "production").state; // "started"
 * ```
 */
export function monitoringStartSummary(started: MonitoringStart | null, schedule: MonitoringSchedule, model: string, alias: string): MonitoringStartSummary {
  if (!started) return { state: "not_started", version: null, started_at: null, schedule, ref: monitoringRef(model, alias) };
  const r = started.record;
  return { state: "started", version: r.version, started_at: r.started_at, schedule: r.schedule, ref: started.ref };
}
