import { test } from "node:test";
import assert from "node:assert/strict";
import { monitoringView, retrainView } from "../../../labextension/src/widgets/monitoringView.js";
import { sidebarView } from "../../../labextension/src/widgets/sidebarView.js";
import type { EndpointMonitoring, RetrainResult, WorkspaceState } from "../../../src/comm/protocol.js";
import type { RetrainActivity } from "../../../labextension/src/tokens.js";

const schedule = { every_requests: 1000, every_minutes: 60, window_rows: 5000, min_rows: 200 };
const base: EndpointMonitoring["monitoring"] = {
  state: "waiting_for_data",
  ref: "refs/dw/monitoring/temp/production",
  version: 1,
  started_at: "2026-12-01T10:00:00Z",
  schedule,
  checks: 0,
  last_check: null,
  alert: null,
  note: "Waiting for 200 logged rows before the first check.",
};
const check = {
  at: "2026-12-01T10:05:00Z",
  commit: "abc",
  rows: 1200,
  version: 1,
  window: { from: "2026-12-01T10:01:00Z", to: "2026-12-01T10:04:59Z" },
  share_drifted: 2 / 3,
  dataset_drift: true,
  drifted_columns: ["temp_min", "wind"],
  prediction_drift: false,
};
const entry = (monitoring: Partial<EndpointMonitoring["monitoring"]>): EndpointMonitoring => ({
  model: "temp",
  alias: "production",
  monitoring: { ...base, ...monitoring },
});

test("the drift badge is red with the drifted columns, green with none, grey before the first check or without monitoring", () => {
  const drift = monitoringView(
    entry({
      state: "drift",
      checks: 1,
      last_check: check,
      alert: { since: check.at, columns: ["temp_min", "wind"], dataset_drift: true, prediction_drift: true },
      note: "Drift: temp_min, wind.",
    }),
  );
  assert.equal(drift?.state, "drift");
  assert.equal(drift?.badge, "drift");
  assert.deepEqual(drift?.columns, ["temp_min", "wind", "prediction"], "the alert's columns, and the prediction when it drifted too");
  assert.match(drift?.detail ?? "", /^last check \d\d:\d\d:\d\d · 1,200 rows of v1 · 67% of features drifted$/);
  assert.equal(drift?.title, "Drift: temp_min, wind.");

  const ok = monitoringView(entry({ state: "ok", checks: 2, last_check: { ...check, dataset_drift: false, drifted_columns: [], share_drifted: 0 } }));
  assert.deepEqual([ok?.state, ok?.badge, ok?.columns], ["ok", "no drift", []]);

  const waiting = monitoringView(entry({}));
  assert.deepEqual([waiting?.state, waiting?.badge, waiting?.detail], ["waiting", "waiting for data", ""]);

  const off = monitoringView(entry({ state: "not_started", version: null, started_at: null, schedule: null, note: "Not monitored." }));
  assert.deepEqual([off?.state, off?.badge], ["off", "not monitored"]);

  assert.equal(monitoringView(undefined), null, "no badge when the kernel sent no monitoring");
  assert.equal(waiting?.abTest, "", "no A/B line without a running test");
});

test("a running A/B test behind the endpoint is shown with its arms' shares, and whether the split is on", () => {
  const ab = {
    splitting: true,
    arms: [
      { version: 2, weight: 0.8, share: 0.8 },
      { version: 3, weight: 0.2, share: 0.2 },
    ],
    metric: "accuracy" as const,
    min_sample_size: 100,
    started_at: "2026-12-04T08:00:00.000Z",
    started_by: "root",
    ref: "refs/dw/abtests/temp/production",
  };
  assert.equal(monitoringView({ ...entry({}), ab_test: ab })?.abTest, "A/B test: v2 80% · v3 20% on accuracy");
  assert.equal(monitoringView({ ...entry({}), ab_test: { ...ab, splitting: false } })?.abTest, "A/B test: v2 80% · v3 20% on accuracy (not splitting)");
});

const result: RetrainResult = {
  model: "temp",
  alias: "production",
  serving: { version: 1, run_id: "r1", metrics: { r2: 0.8, rmse: 2.5 } },
  dataset: { dataset_id: "seattle-weather", sha256: "f".repeat(64), rows: 1461, changed: true },
  run_id: "20261201-100600-abcdef",
  commit: "c".repeat(40),
  algorithm: "linear_regression",
  task: "regression",
  evaluation: "holdout",
  metrics: { r2: 0.82, rmse: 2.4, mae: 1.9, mape: 0.2 },
  gates: [{ gate: "quality", status: "pass", summary: "ok" }],
  and_then: "compare",
  comparison: {
    basis: "labelled_window",
    rows: 120,
    labelled_rows: 120,
    min_labelled_rows: 30,
    metric: "rmse",
    higher_is_better: false,
    serving: { rmse: 4 },
    candidate: { rmse: 2.5 },
    difference: -1.5,
    relative: -0.375,
    p_value: 0.001,
    verdict: "candidate_better",
    summary: "On 120 labelled requests: rmse 2.5 (new) vs 4 (v1); the new model is better by 1.5, 37.5%.",
  },
  ab_test: null,
  next: ["# The new model is better: deploy it", "%dw productionize 20261201-100600-abcdef --model_name temp --alias production"],
};

test("a retraining shows its progress while it runs, then the new run, the comparison and the next step, or the error", () => {
  assert.deepEqual(retrainView({ state: "running", progress: "fitting" }), { state: "running", headline: "Retraining… fitting", lines: [], next: [] });
  const done = retrainView({ state: "done", result });
  assert.equal(done?.headline, "New run 20261201-100600-abcdef");
  assert.equal(done?.runId, result.run_id);
  assert.equal(done?.verdict, "candidate_better");
  assert.deepEqual(done?.lines, ["linear_regression on seattle-weather (new data), holdout: r2 0.820 · rmse 2.40 · mae 1.90", result.comparison!.summary]);
  assert.deepEqual(done?.next, result.next);
  const failed = retrainView({ state: "failed", error: { code: "GATE_FAILED", message: "The quality gate failed.", hint: "Pass override_reason." } });
  assert.deepEqual(failed, {
    state: "failed",
    headline: "Retrain failed",
    lines: ["The quality gate failed.", "Pass override_reason.", "code: GATE_FAILED"],
    next: [],
  });
});

test("the sidebar puts each endpoint's badge and retraining on that endpoint only", () => {
  const state: WorkspaceState = {
    workspace: "/w",
    server: { url: "http://127.0.0.1:5001", live: true },
    models: [],
    endpoints: [
      { model: "temp", alias: "production", version: 1, invocations_url: "http://127.0.0.1:5001/models/temp@production/invocations", live: true },
      { model: "temp", alias: "staging", version: 1, invocations_url: "http://127.0.0.1:5001/models/temp@staging/invocations", live: true },
    ],
  };
  const monitoring = new Map([["temp@production", entry({ state: "drift", last_check: check, alert: null })]]);
  const retrains = new Map<string, RetrainActivity>([["temp@production", { state: "running", progress: "checking gates" }]]);
  const view = sidebarView({ kind: "connected" }, state, new Map(), monitoring, retrains);
  assert.equal(view.kind, "state");
  if (view.kind !== "state") return;
  const [production, staging] = view.endpoints;
  assert.deepEqual(production.monitoring?.columns, ["temp_min", "wind"], "without an alert, the last check's columns");
  assert.equal(production.retrain?.state, "running");
  assert.equal(staging.monitoring, null);
  assert.equal(staging.retrain, null);
});
