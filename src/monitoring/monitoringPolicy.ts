import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { readPolicySection, type PolicySection } from "../policy/readPolicySection.js";
import { DRIFT_POLICY_METHODS } from "./driftPolicyMethods.js";

// Defined in driftPolicyMethods.ts (import-free, for detect_model_drift's schema); exported here too.
export { DRIFT_POLICY_METHODS };

const LOG_DEFAULTS = { full_rate_per_second: 200, file_mb: 16, max_mb: 256, flush_ms: 200, pii: "hash" as const };
const DRIFT_DEFAULTS = {
  every_requests: 1000,
  every_minutes: 60,
  window_rows: 5000,
  // Evidently's default tests on fewer rows than this raise false alarms often: on the quickstart
  // data, clean windows of 200 rows alerted 32.5% of the time, 500 rows 3%, 1,000 rows 0.25%
  // (docs/monitoring.md, "The monitor").
  min_rows: 1000,
  method: "auto" as const,
  threshold: null,
  drift_share: 0.5,
};

const MonitoringLogPolicy = z
  .strictObject({
    full_rate_per_second: z
      .number()
      .positive()
      .default(LOG_DEFAULTS.full_rate_per_second)
      .describe("Every request is logged up to this many per second per server process; above it, a sample."),
    file_mb: z.number().positive().default(LOG_DEFAULTS.file_mb).describe("A log file rotates at this size (MiB)."),
    max_mb: z.number().positive().default(LOG_DEFAULTS.max_mb).describe("Per deployment: the oldest files are deleted past this size (MiB)."),
    flush_ms: z.number().positive().default(LOG_DEFAULTS.flush_ms).describe("Buffered lines are written at least this often (ms): what a kill -9 may lose."),
    pii: z
      .enum(["hash", "drop"])
      .default(LOG_DEFAULTS.pii)
      .describe("Inputs the governance scan marked as PII: keyed-hashed (HMAC-SHA256, workspace key) or not stored."),
  })
  .refine((l) => l.max_mb >= l.file_mb, { message: "max_mb must be at least file_mb", path: ["max_mb"] });

const MonitoringDriftPolicy = z.strictObject({
  every_requests: z.number().positive().default(DRIFT_DEFAULTS.every_requests).describe("A drift check after this many new logged rows ..."),
  every_minutes: z
    .number()
    .positive()
    .default(DRIFT_DEFAULTS.every_minutes)
    .describe("... or this long after the last check (whichever first), if min_rows arrived."),
  window_rows: z.number().int().positive().default(DRIFT_DEFAULTS.window_rows).describe("The newest logged rows a check compares with the reference."),
  min_rows: z.number().int().positive().default(DRIFT_DEFAULTS.min_rows).describe("Fewer new rows than this: no check."),
  method: z.enum(DRIFT_POLICY_METHODS).default(DRIFT_DEFAULTS.method).describe("auto (Evidently's DataDriftPreset choice) or one test for every column."),
  threshold: z.number().positive().nullable().default(DRIFT_DEFAULTS.threshold).describe("null: the method's default threshold."),
  drift_share: z.number().gt(0).max(1).default(DRIFT_DEFAULTS.drift_share).describe("Dataset drift when at least this share of the features drift."),
});

/**
 * The `monitoring:` section of dw.policy.yaml: how dw serve logs inferences (rate, rotation,
 * flush interval, PII) and when and how the drift checks run. Every field has a default, so an
 * absent file or section is a valid policy. Numbers may be fractional (`every_minutes: 0.02`),
 * which lets tests shorten real clocks by configuration.
 */
export const MonitoringPolicy = z.strictObject({
  log: MonitoringLogPolicy.default(LOG_DEFAULTS),
  drift: MonitoringDriftPolicy.default(DRIFT_DEFAULTS),
});
export type MonitoringPolicy = z.output<typeof MonitoringPolicy>;

/** What each part of the section accepts, for the CONFIG_ERROR hint. */
export function monitoringAllowed(path: string): string {
  if (path.endsWith(".pii")) return "pii is hash or drop.";
  if (path.endsWith(".method")) return `method is one of ${DRIFT_POLICY_METHODS.join(", ")}.`;
  if (path.endsWith(".threshold")) return "threshold is a positive number, or null for the method's default.";
  if (path.endsWith(".drift_share")) return "drift_share is a share above 0 and at most 1, e.g. 0.5.";
  if (path.endsWith(".window_rows") || path.endsWith(".min_rows")) return "A whole number ≥ 1.";
  if (path.endsWith(".max_mb")) return "A positive number of MiB, at least file_mb.";
  if (path === "monitoring.log") return "log: takes full_rate_per_second, file_mb, max_mb, flush_ms and pii.";
  if (path === "monitoring.drift") return "drift: takes every_requests, every_minutes, window_rows, min_rows, method, threshold and drift_share.";
  if (path === "monitoring") return "monitoring: takes log: and drift:.";
  return "A positive number (fractions allowed).";
}

/**
 * The workspace's monitoring policy (defaults when dw.policy.yaml has no `monitoring:`). A mistake
 * is a CONFIG_ERROR naming the file, the line and the field.
 *
 * @example
 * ```ts
 * const { policy } = await readMonitoringPolicy(ws);
 * policy.log.flush_ms; // 200 unless the policy file says otherwise
 * ```
 */
export async function readMonitoringPolicy(ws: Workspace): Promise<PolicySection<MonitoringPolicy>> {
  return readPolicySection(ws, "monitoring", MonitoringPolicy, monitoringAllowed);
}
