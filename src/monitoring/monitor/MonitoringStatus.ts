import { z } from "zod";
import { DriftAlert, LastCheck, MonitoringSchedule } from "./MonitoringRecord.js";

/**
 * Drift monitoring of one deployment as get_ml_status (and the sidebar) report it, read from the
 * newest commit on refs/dw/monitoring/<name>/<alias> by readMonitoringStatus.
 * - not_started: no monitoring commit (deployed before monitoring existed, or the ref is gone);
 * - waiting_for_data: started, no check yet (fewer than min_rows logged, or the schedule not due);
 * - ok: the last check found no drift;
 * - drift: the last check found dataset drift or prediction drift (`alert` names the columns).
 */
export const MonitoringStatus = z.object({
  state: z
    .enum(["not_started", "waiting_for_data", "ok", "drift"])
    .describe(
      "not_started: nothing monitors it; waiting_for_data: started, no check yet; ok: the last check found no drift; drift: the last check found dataset or prediction drift.",
    ),
  ref: z.string().describe("The ref holding the monitoring history: git log <ref>."),
  version: z.number().int().nullable().describe("The version monitored (null when not started)."),
  started_at: z.string().nullable(),
  schedule: MonitoringSchedule.nullable(),
  checks: z.number().int().nonnegative().describe("Drift checks of the monitored version so far."),
  last_check: LastCheck.nullable(),
  alert: DriftAlert.nullable().describe("Set while the newest check found drift."),
  note: z.string().describe("The state in a sentence."),
  error: z.string().optional().describe("Set when the monitoring record cannot be read: what is wrong."),
});
export type MonitoringStatus = z.infer<typeof MonitoringStatus>;
