import type { Workspace } from "../../workspace/Workspace.js";
import { baselineFromReference, type DriftBaseline } from "../DriftSide.js";
import type { DriftReport } from "../DriftReport.js";
import { checkDrift } from "../checkDrift.js";
import { currentFromLog } from "../currentFromLog.js";
import type { FeedbackRecord } from "../log/InferenceRecord.js";
import { type PiiColumns, piiColumns } from "../log/piiColumns.js";
import { readInferenceWindow } from "../log/readInferenceLog.js";
import type { MonitoringPolicy } from "../monitoringPolicy.js";
import { readDriftReference } from "../reference/readDriftReference.js";

const NO_LABELS: ReadonlyMap<string, FeedbackRecord> = new Map();

/** A drift check's result before it is committed: the report and the window it compared. */
export interface DriftCheckResult {
  report: DriftReport;
  window: { from: string; to: string; rows: number };
}

/** A run's reference, kept between checks of the same run (read once, a few MB at most). */
export type BaselineCache = Map<string, { baseline: DriftBaseline; pii: PiiColumns }>;

/**
 * One scheduled drift check of a deployment: the newest `window_rows` rows its inference log holds
 * for `version` (answered since `sinceMs`, when monitoring of that version began; error lines left
 * out) compared with the reference stored with the version's run, by the policy's method,
 * threshold and drift share; inputs the governance scan marked as PII (logged hashed or not at all)
 * are skipped. Reads only the window (readInferenceWindow stops once it holds it), so
 * a log of a million rows costs what the window does. Null when the log has no such row.
 *
 * @example
 * ```ts
 * const r = await runDriftCheck(ws, { model: "temp", alias: "production", version: 1, runId, sinceMs, drift: policy.drift });
 * r?.report.drifted_columns;
 * ```
 */
export async function runDriftCheck(
  ws: Workspace,
  args: { model: string; alias: string; version: number; runId: string; sinceMs: number; drift: MonitoringPolicy["drift"]; cache?: BaselineCache },
): Promise<DriftCheckResult | null> {
  const { drift } = args;
  const window = await readInferenceWindow(ws.root, args.model, args.alias, { last: drift.window_rows, since: args.sinceMs });
  const records = window.records.filter((r) => r.v === args.version && r.err === undefined);
  if (!records.length) return null;
  let ref = args.cache?.get(args.runId);
  if (!ref) {
    ref = { baseline: baselineFromReference(await readDriftReference(ws, args.runId)), pii: await piiColumns(ws, args.runId) };
    args.cache?.set(args.runId, ref);
  }
  // No labels: the feedback log is read whole, which a scheduled check must not do at every window
  // (detect_model_drift reports performance on labelled rows when asked).
  const current = currentFromLog(records, ref.baseline, NO_LABELS, { deployment: `${args.model}@${args.alias}`, version: args.version, pii: ref.pii });
  const report = checkDrift(ref.baseline, current, {
    ...(drift.method !== "auto" ? { method: drift.method } : {}),
    ...(drift.threshold !== null ? { threshold: drift.threshold } : {}),
    driftShare: drift.drift_share,
  });
  const iso = (t: number) => new Date(t).toISOString();
  return { report, window: { from: iso(records[0].t), to: iso(records[records.length - 1].t), rows: records.length } };
}
