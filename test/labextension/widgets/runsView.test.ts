import { test } from "node:test";
import assert from "node:assert/strict";
import { compareSelection, gateBadge, openCellArgs, runRowsView, shortTime } from "../../../labextension/src/widgets/runsView.js";
import { codeDiffView, compareView, dataDiffView } from "../../../labextension/src/widgets/compareView.js";
import { RunSummary } from "../../../src/comm/protocol.js";

// What the Runs panel shows for list_runs' summaries and compare_experiments' output, shaped as
// the tools return them (each checked against the contract first, so a drift in it fails here).

const run = (over: Partial<RunSummary>): RunSummary =>
  RunSummary.parse({
    run_id: "20261204-134137-a1b2c3",
    created_at: "2026-12-04T13:41:37.123Z",
    algorithm: "random_forest",
    task: "regression",
    target: "temp_max",
    data: { dataset_id: "seattle-weather", sha256: "ab".repeat(32), rows: 1461 },
    metric: { name: "r2", value: 0.8123456, higher_is_better: true },
    metrics: { r2: 0.8123456, rmse: 2.5 },
    gates: [
      { gate: "quality", status: "pass", summary: "12 checks passed" },
      { gate: "governance", status: "warn", summary: "no model card" },
    ],
    gate_status: "warn",
    registered: [
      { model: "temp", version: 3 },
      { model: "temp", version: 1 },
    ],
    commit: "0123456789abcdef0123456789abcdef01234567",
    origin: { via: "kernel", notebook_path: "quickstart.ipynb", cell_id: "c-7" },
    ...over,
  });

test("a run's row shows its headline metric, its data, its gate badge, its versions and how to open its cell", () => {
  const [row] = runRowsView([run({})]);
  assert.equal(row.title, "random_forest → temp_max");
  assert.equal(row.when, "2026-12-04 13:41");
  assert.equal(row.metric.text, "r2 0.812");
  assert.match(row.metric.title, /higher is better/);
  assert.equal(row.data.text, "seattle-weather · 1,461 rows");
  assert.match(row.data.title, /sha256 abab/);
  assert.deepEqual(row.gate, {
    status: "warn",
    text: "gate warning",
    title: "quality: pass: 12 checks passed\ngovernance: warn: no model card",
  });
  assert.equal(row.registered, "temp v1, v3");
  assert.deepEqual(row.openCell, { notebook_path: "quickstart.ipynb", cell_id: "c-7", run_id: "20261204-134137-a1b2c3" });
  assert.equal(row.error, null);
});

test("a run without a metric, gates or versions says so rather than showing blanks", () => {
  const [row] = runRowsView([run({ metric: null, gates: [], gate_status: "none", registered: [], error: "run.json is damaged" })]);
  assert.equal(row.metric.text, "no metric");
  assert.equal(row.gate.text, "no gates");
  assert.equal(row.gate.title, "No gate report was recorded for this run.");
  assert.equal(row.registered, "");
  assert.equal(row.error, "run.json is damaged");
});

test("an overridden gate's badge names who let it through and why", () => {
  const badge = gateBadge({
    gate_status: "overridden",
    gates: [{ gate: "governance", status: "fail", summary: "feature 'email' is PII" }],
    override: { by: "Ada <ada@example.com>", reason: "hashed upstream, approved by DPO", at: "2026-12-04T14:00:00Z" },
  });
  assert.equal(badge.text, "gate overridden");
  assert.equal(
    badge.title,
    "governance: fail: feature 'email' is PII\noverridden by Ada <ada@example.com> at 2026-12-04T14:00:00Z: hashed upstream, approved by DPO",
  );
});

test("Open cell needs the notebook and the cell id; otherwise the row says why it cannot open one", () => {
  assert.deepEqual(openCellArgs({ run_id: "r", origin: { via: "cli" } }), { reason: "The run was made through cli, not in a notebook cell." });
  assert.deepEqual(openCellArgs({ run_id: "r", origin: { via: "kernel", notebook_path: "a.ipynb" } }), {
    reason: "The run's notebook cell id was not recorded (an older run).",
  });
  assert.deepEqual(openCellArgs({ run_id: "r", origin: { via: "kernel" } }), { reason: "The run's notebook was not recorded." });
});

test("a row's key changes when what it shows changes, and only then", () => {
  const [a] = runRowsView([run({})]);
  const [same] = runRowsView([run({})]);
  const [registered] = runRowsView([run({ registered: [{ model: "temp", version: 4 }] })]);
  const [logged] = runRowsView([run({ commit: "f".repeat(40) })]);
  assert.equal(a.key, same.key);
  assert.notEqual(a.key, registered.key);
  assert.notEqual(a.key, logged.key);
});

test("the selection keeps only runs still listed, in the order ticked; Compare needs two", () => {
  const runs = [{ run_id: "a" }, { run_id: "b" }, { run_id: "c" }];
  assert.deepEqual(compareSelection([], runs), { runIds: [], canCompare: false, label: "Select two runs to compare" });
  assert.deepEqual(compareSelection(["c", "gone"], runs), { runIds: ["c"], canCompare: false, label: "Select one more run to compare" });
  assert.deepEqual(compareSelection(["c", "a"], runs), { runIds: ["c", "a"], canCompare: true, label: "Compare 2 runs" });
});

test("shortTime keeps the minute of an ISO time and leaves anything else alone", () => {
  assert.equal(shortTime("2026-01-02T03:04:05Z"), "2026-01-02 03:04");
  assert.equal(shortTime("yesterday"), "yesterday");
});

const comparison = {
  metric: "r2",
  higher_is_better: true,
  best_run_id: "b",
  runs: [
    { run_id: "b", rank: 1, created_at: "t", algorithm: "random_forest", metrics: { r2: 0.9, rmse: 2 }, delta_vs_best: { r2: 0, rmse: 0 }, parameters: {} },
    { run_id: "a", rank: 2, created_at: "t", algorithm: "linear_regression", metrics: { r2: 0.85 }, delta_vs_best: { r2: -0.05, rmse: null }, parameters: {} },
  ],
  differing_parameters: [{ parameter: "algorithm", values: { a: "linear_regression", b: "random_forest" } }],
};

test("a comparison shows the ranked metric first, each value with its distance from the best, and the parameters that differ", () => {
  const read = compareView(comparison);
  assert.ok(read.ok);
  const { view } = read;
  assert.equal(view.headline, "Best by r2 (higher is better): b");
  assert.deepEqual(view.runIds, ["b", "a"]);
  assert.deepEqual(
    view.metrics.map((m) => [m.name, m.ranked, m.cells.map((c) => c.text), m.cells.map((c) => c.best)]),
    [
      ["r2", true, ["0.900", "0.850 (-0.0500)"], [true, false]],
      ["rmse", false, ["2", "—"], [true, false]],
    ],
  );
  assert.deepEqual(view.parameters, [{ name: "algorithm", values: ["random_forest", "linear_regression"] }]);
  assert.equal(view.code, null);
  assert.equal(view.data, null);
});

test("an output the panel cannot read is an error naming the field, not a half-drawn table", () => {
  const read = compareView({ ...comparison, runs: [{ run_id: 3 }] });
  assert.equal(read.ok, false);
  assert.match(!read.ok ? read.message : "", /runs\.0\.run_id/);
});

test("a code diff's lines are told apart (added, removed, hunk heads, file heads, context), with which run to which", () => {
  const view = codeDiffView({
    from_run: "a",
    to_run: "b",
    status: "different",
    added: 1,
    removed: 1,
    diff: "--- a/cell.ts\n+++ b/cell.ts\n@@ -1,2 +1,2 @@\n %dw train_model\n-  --algorithm linear_regression\n+  --algorithm random_forest\n",
  });
  assert.deepEqual(
    view?.lines.map((l) => l.kind),
    ["meta", "meta", "hunk", "context", "del", "add"],
  );
  assert.equal(view?.summary, "From a to b: +1 −1 lines.");
  assert.equal(view?.identical, false);
  const noCell = codeDiffView({ from_run: "a", to_run: "b", status: "no_cell", added: 0, removed: 0, diff: "", note: "Run a has no cell.ts" });
  assert.deepEqual([noCell?.lines, noCell?.summary, noCell?.note], [[], "From a to b: no diff.", "Run a has no cell.ts"]);
  assert.equal(codeDiffView(undefined), null);
});

test("a data diff says whether the bytes are the same, and else what changed: hash, rows, columns", () => {
  const data = { dataset_id: "weather", sha256: "ab".repeat(32), rows: 1461 };
  const same = {
    from_run: "a",
    to_run: "b",
    same_data: true,
    from: data,
    to: data,
    rows_change: 0,
    columns_added: [],
    columns_removed: [],
    columns_type_changed: [],
  };
  assert.deepEqual(dataDiffView(same), { same: true, lines: ["Same data: weather, 1,461 rows (sha256 abababababab)."] });
  const changed = dataDiffView({
    ...same,
    same_data: false,
    to: { ...data, sha256: "cd".repeat(32), rows: 1500 },
    rows_change: 39,
    columns_added: ["humidity"],
    columns_type_changed: [{ column: "wind", from: "int", to: "float" }],
  });
  assert.deepEqual(changed, {
    same: false,
    lines: [
      "From a to b: weather, sha256 abababababab → cdcdcdcdcdcd.",
      "Rows: 1,461 rows → 1,500 rows (+39).",
      "Columns added: humidity.",
      "Type changed: wind int → float.",
    ],
  });
});
