import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ColumnDrift, DriftReport } from "../../../../src/monitoring/DriftReport.js";
import { type MonitoringRecord, monitoringRef } from "../../../../src/monitoring/monitor/MonitoringRecord.js";
import { readMonitoringStatus } from "../../../../src/monitoring/monitor/readMonitoringStatus.js";
import { recordCheck } from "../../../../src/monitoring/monitor/recordCheck.js";
import { documentText } from "../../../../src/workspace/documentText.js";
import { openWorkspace } from "../../../../src/workspace/Workspace.js";

const dir = await mkdtemp(join(tmpdir(), "dw-check-"));
const ws = await openWorkspace(dir);
test.after(() => rm(dir, { recursive: true, force: true }));

const REF = monitoringRef("temp", "production");
const RUN = "20261204-070000-abcdef";

function column(name: string, drifted: boolean): ColumnDrift {
  const d = { count: 200, nulls: 0 };
  return {
    column: name,
    type: "number",
    method: "wasserstein",
    statistic: drifted ? 0.9 : 0.03,
    p_value: null,
    threshold: 0.1,
    drifted,
    reference: d,
    current: d,
  };
}

/** A report as checkDrift shapes it, with the given features drifted (and the prediction when asked). */
function report(drifted: string[], prediction = false): DriftReport {
  const columns = ["a", "b", "c"].map((n) => column(n, drifted.includes(n)));
  return {
    columns,
    skipped: [],
    drifted_columns: drifted,
    share_drifted: drifted.length / 3,
    drift_share: 0.5,
    dataset_drift: drifted.length / 3 >= 0.5,
    prediction: column("prediction", prediction),
    performance: null,
    reference: { source: "run", run_id: RUN, rows: 1461, compared_rows: 1461 },
    current: { source: "log", deployment: "temp@production", rows: 200 },
  };
}

const window = { from: "2026-12-04T07:00:00.000Z", to: "2026-12-04T07:00:01.000Z", rows: 200 };
const at = (s: number) => new Date(Date.UTC(2026, 11, 4, 7, 0, s));

test("checks chain on the monitoring ref; drift raises an alert, a later drifted check keeps its start, a clean one clears it", async () => {
  assert.equal((await readMonitoringStatus(ws, "temp", "production")).state, "not_started");
  const started: MonitoringRecord = {
    event: "started",
    model: "temp",
    alias: "production",
    version: 1,
    started_at: at(0).toISOString(),
    reason: "deploy_model",
    schedule: { every_requests: 200, every_minutes: 1, window_rows: 200, min_rows: 100 },
    checks: 0,
    last_check: null,
    alert: null,
  };
  const start = await ws.commit({ ref: REF, message: "start", files: { "monitoring.json": documentText(started) } });
  assert.equal((await readMonitoringStatus(ws, "temp", "production")).state, "waiting_for_data");

  const check = (r: DriftReport, s: number, version = 1) =>
    recordCheck(ws, { model: "temp", alias: "production", version, run_id: RUN, report: r, window, now: at(s) });

  const clean = await check(report(["a"]), 1);
  assert.ok(clean);
  assert.deepEqual((await ws.readCommit(clean.commit)).parents, [start]);
  assert.equal(clean.record.alert, null, "one feature of three is no dataset drift");
  let status = await readMonitoringStatus(ws, "temp", "production");
  assert.equal(status.state, "ok");
  assert.equal(status.last_check?.commit, clean.commit);
  assert.deepEqual(status.last_check?.drifted_columns, ["a"]);

  const first = await check(report(["a", "b"]), 2);
  assert.deepEqual(first?.record.alert, { since: at(2).toISOString(), columns: ["a", "b"], dataset_drift: true, prediction_drift: false });
  const second = await check(report(["b", "c"], true), 3);
  assert.deepEqual(second?.record.alert, { since: at(2).toISOString(), columns: ["b", "c"], dataset_drift: true, prediction_drift: true });
  status = await readMonitoringStatus(ws, "temp", "production");
  assert.equal(status.state, "drift");
  assert.equal(status.checks, 3);
  assert.match(status.note, /Drift since .*b, c.*predictions drifted/);
  const stored = JSON.parse((await ws.readText(second!.commit, "check.json"))!);
  assert.deepEqual(stored.report.drifted_columns, ["b", "c"]);
  assert.deepEqual(stored.window, window);
  assert.match((await ws.readCommit(second!.commit)).message, /^dw monitoring temp@production: drift check 3 of v1: drift/);

  // The predictions alone drifting is an alert too.
  const predicted = await check(report([], true), 4);
  assert.deepEqual(predicted?.record.alert?.columns, []);
  assert.equal(predicted?.record.alert?.prediction_drift, true);

  const cleared = await check(report([]), 5);
  assert.equal(cleared?.record.alert, null);
  assert.equal((await readMonitoringStatus(ws, "temp", "production")).state, "ok");

  // A check of a version no longer monitored writes nothing.
  const head = await ws.readRef(REF);
  assert.equal(await check(report(["a", "b"]), 6, 2), null);
  assert.equal(await ws.readRef(REF), head);
});
