import type { Workspace } from "../../workspace/Workspace.js";
import { commitMessage } from "../../workspace/commitMessage.js";
import { documentText } from "../../workspace/documentText.js";
import type { DriftReport } from "../DriftReport.js";
import { type DriftAlert, type LastCheck, MonitoringRecord, type MonitoringSchedule, monitoringRef } from "./MonitoringRecord.js";

/** What one drift check compared and found: check.json in its commit. */
export interface CheckDocument {
  model: string;
  alias: string;
  version: number;
  run_id: string;
  at: string;
  window: { from: string; to: string; rows: number };
  report: DriftReport;
  alert: DriftAlert | null;
}

/**
 * Commits a drift check on refs/dw/monitoring/<name>/<alias> (parent: the newest monitoring
 * commit): check.json (the report and its window) and monitoring.json (the state after it: checks
 * + 1, the last check, the alert, the schedule the check ran by). A check that finds dataset drift or prediction drift raises the
 * alert, or keeps it (with its first `since` and the newest columns); a clean one clears it. Null,
 * with nothing written, when monitoring moved on to another version while the check ran (its rows
 * were answered by a version no longer monitored). Call under the workspace lock.
 *
 * @example
 * ```ts
 * const done = await ws.withLock(() => recordCheck(ws, { model: "temp", alias: "production", version: 1, run_id, report, window, now }));
 * done?.record.alert?.columns; // ["temp_min", "wind"]
 * ```
 */
export async function recordCheck(
  ws: Workspace,
  c: {
    model: string;
    alias: string;
    version: number;
    run_id: string;
    report: DriftReport;
    window: CheckDocument["window"];
    now: Date;
    /** The schedule this check ran by (the policy read for it); the record's is kept when not given. */
    schedule?: MonitoringSchedule;
  },
): Promise<{ commit: string; record: MonitoringRecord; check: CheckDocument } | null> {
  const ref = monitoringRef(c.model, c.alias);
  const head = await ws.readRef(ref);
  const before = head ? await ws.readDocument(MonitoringRecord, head, "monitoring.json", ref) : null;
  if (!head || !before || before.version !== c.version) return null;
  const at = c.now.toISOString();
  const predictionDrift = c.report.prediction?.drifted === true;
  const drifted = c.report.dataset_drift || predictionDrift;
  const alert: DriftAlert | null = drifted
    ? { since: before.alert?.since ?? at, columns: c.report.drifted_columns, dataset_drift: c.report.dataset_drift, prediction_drift: predictionDrift }
    : null;
  const last: LastCheck = {
    at,
    commit: null,
    rows: c.window.rows,
    version: c.version,
    window: { from: c.window.from, to: c.window.to },
    share_drifted: c.report.share_drifted,
    dataset_drift: c.report.dataset_drift,
    drifted_columns: c.report.drifted_columns,
    prediction_drift: predictionDrift,
  };
  const found = describe(c.report, predictionDrift);
  const record: MonitoringRecord = {
    ...before,
    event: "check",
    reason: found,
    schedule: c.schedule ?? before.schedule,
    checks: before.checks + 1,
    last_check: last,
    alert,
  };
  const check: CheckDocument = { model: c.model, alias: c.alias, version: c.version, run_id: c.run_id, at, window: c.window, report: c.report, alert };
  const subject = `dw monitoring ${c.model}@${c.alias}: drift check ${record.checks} of v${c.version}: ${drifted ? "drift" : "no drift"}`;
  const message = commitMessage(
    subject,
    [found, `${c.window.rows} logged rows from ${c.window.from} to ${c.window.to}, compared with the reference of run ${c.run_id}.`],
    { "Dw-Model": c.model, "Dw-Version": c.version, "Dw-Alias": c.alias, "Dw-Run": c.run_id },
  );
  const commit = await ws.commit({
    ref,
    message,
    parents: [head],
    files: { "monitoring.json": documentText(record), "check.json": documentText(check) },
    now: c.now,
  });
  return { commit, record, check };
}

/** What a check found, in a sentence: "2 of 3 features drifted (temp_min, wind): dataset drift; the predictions drifted." */
export function describe(r: DriftReport, predictionDrift: boolean): string {
  const n = r.columns.length;
  const cols = r.drifted_columns.length ? ` (${r.drifted_columns.join(", ")})` : "";
  const dataset = r.dataset_drift ? ": dataset drift" : "";
  const prediction = r.prediction ? (predictionDrift ? "; the predictions drifted" : "; the predictions did not drift") : "";
  return `${r.drifted_columns.length} of ${n} features drifted${cols}${dataset}${prediction}.`;
}
