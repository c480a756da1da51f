import type { Workspace } from "../../workspace/Workspace.js";
import { MonitoringRecord, monitoringRef } from "./MonitoringRecord.js";
import type { MonitoringStatus } from "./MonitoringStatus.js";

/**
 * The drift monitoring state of a deployment, from the newest commit on
 * refs/dw/monitoring/<name>/<alias> (its monitoring.json holds the whole state, so nothing else
 * is read). A record that cannot be read is reported with `error`, state not_started.
 *
 * @example
 * ```ts
 * const m = await readMonitoringStatus(ws, "temp", "production"); // { state: "drift", alert: { columns: ["x3"], … }, … }
 * ```
 */
export async function readMonitoringStatus(ws: Workspace, model: string, alias: string): Promise<MonitoringStatus> {
  const ref = monitoringRef(model, alias);
  const empty: MonitoringStatus = {
    state: "not_started",
    ref,
    version: null,
    started_at: null,
    schedule: null,
    checks: 0,
    last_check: null,
    alert: null,
    note: "Not started: deploy_model starts drift monitoring, and a running dw serve checks the deployment on the policy's schedule.",
  };
  let head: string | null;
  let record: MonitoringRecord | null;
  try {
    head = await ws.readRef(ref);
    record = head ? await ws.readDocument(MonitoringRecord, head, "monitoring.json", ref) : null;
  } catch (e) {
    return { ...empty, error: `The monitoring record cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!head || !record) return empty;
  const last = record.last_check ? { ...record.last_check, commit: record.last_check.commit ?? head } : null;
  const state = !last ? "waiting_for_data" : record.alert ? "drift" : "ok";
  return {
    state,
    ref,
    version: record.version,
    started_at: record.started_at,
    schedule: record.schedule,
    checks: record.checks,
    last_check: last,
    alert: record.alert,
    note: noteOf(state, record),
  };
}

function noteOf(state: MonitoringStatus["state"], r: MonitoringRecord): string {
  const s = r.schedule;
  if (state === "waiting_for_data") {
    return `Monitoring v${r.version} since ${r.started_at}: the first check runs after ${s.every_requests} logged rows, or ${s.every_minutes} minutes with at least ${s.min_rows}.`;
  }
  const c = r.last_check;
  if (!c) return "";
  if (state === "drift" && r.alert) {
    const what = [r.alert.columns.length ? `drifted columns: ${r.alert.columns.join(", ")}` : "", r.alert.prediction_drift ? "the predictions drifted" : ""]
      .filter(Boolean)
      .join("; ");
    return `Drift since ${r.alert.since} (${what}); last check ${c.at} on ${c.rows} rows of v${c.version}.`;
  }
  return `No drift in the last check (${c.at}, ${c.rows} rows of v${c.version}); ${r.checks} checks so far.`;
}
