import { z } from "zod";

/** The ref whose commits are a deployment's monitoring history: its start, then one commit per drift check (parent = the previous one). */
export const monitoringRef = (name: string, alias: string) => `refs/dw/monitoring/${name}/${alias}`;

/** When the server checks a deployment for drift, as the policy's `monitoring.drift` section said when monitoring started or last checked. */
export const MonitoringSchedule = z.object({
  every_requests: z.number().positive().describe("A drift check after this many new logged rows of the version serving ..."),
  every_minutes: z.number().positive().describe("... or this long after the last check (or the start), whichever comes first, once min_rows new rows arrived."),
  window_rows: z
    .number()
    .int()
    .positive()
    .describe("The newest logged rows of the version serving that a check compares with the version's training reference."),
  min_rows: z.number().int().nonnegative().describe("Fewer new rows than this since the last check: no check."),
});
export type MonitoringSchedule = z.infer<typeof MonitoringSchedule>;

/** What the last drift check found, in short (its commit holds the whole report in check.json). */
export const LastCheck = z.object({
  at: z.string().describe("When the check ran (ISO 8601)."),
  commit: z
    .string()
    .nullable()
    .describe("The check's commit on the monitoring ref; null in a stored record means the commit that holds the record (a commit cannot name itself)."),
  rows: z.number().int().describe("Logged rows the check compared with the reference."),
  version: z.number().int().describe("The model version those rows were answered by."),
  window: z.object({ from: z.string(), to: z.string() }).describe("The times of the oldest and newest row compared (ISO 8601)."),
  share_drifted: z.number().describe("Share of the features that drifted."),
  dataset_drift: z.boolean().describe("Whether at least the policy's drift_share of the features drifted."),
  drifted_columns: z.array(z.string()).describe("The features that drifted, in the reference's column order."),
  prediction_drift: z.boolean().describe("Whether the distribution of the predictions drifted (false when the reference has none)."),
});
export type LastCheck = z.infer<typeof LastCheck>;

/** A drift alert: raised by a check that finds dataset drift or prediction drift, cleared by a later clean one. */
export const DriftAlert = z.object({
  since: z.string().describe("When the first check of this alert ran (ISO 8601); a later drifted check keeps it."),
  columns: z.array(z.string()).describe("The features that drifted in the newest check."),
  dataset_drift: z.boolean(),
  prediction_drift: z.boolean(),
});
export type DriftAlert = z.infer<typeof DriftAlert>;

/**
 * `monitoring.json` in every commit on refs/dw/monitoring/<name>/<alias>: the whole monitoring
 * state after that commit, so the newest commit alone answers get_ml_status (no walk of the
 * history). A check commit also holds check.json (the drift report and its window).
 */
export const MonitoringRecord = z.object({
  event: z
    .enum(["started", "check"])
    .describe("started: monitoring began (deploy_model, or the server saw the alias serve another version); check: a drift check ran."),
  model: z.string(),
  alias: z.string(),
  version: z.number().int().describe("The version monitored: checks compare only rows this version answered with its run's reference."),
  started_at: z.string().describe("When monitoring of this version began (ISO 8601)."),
  reason: z.string().describe("Why monitoring (re)started, or what the check found, in a sentence."),
  schedule: MonitoringSchedule,
  checks: z.number().int().nonnegative().describe("Drift checks of this version so far."),
  last_check: LastCheck.nullable(),
  alert: DriftAlert.nullable(),
});
export type MonitoringRecord = z.infer<typeof MonitoringRecord>;
