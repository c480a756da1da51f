import { test } from "node:test";
import assert from "node:assert/strict";
import { codeDiffView } from "../../../labextension/src/widgets/compareView.js";
import {
  diffInput,
  environmentLine,
  highlightTs,
  historyInput,
  readReproduction,
  readRunHistory,
  reproduceView,
  runCodeView,
  type RunHistory,
} from "../../../labextension/src/widgets/runCodeView.js";

// A model version's Code dialog, decided without a DOM: get_run_history's answer as the code in
// execution order with its findings, notebook source and environment; what "Diff with previous
// version" compares; reproduce_run's verdict; and the colouring of the code.

const HISTORY_TS = [
  "// dw run 20261204-160102-a1b2c3: the code that ran before the training, in execution order.",
  "// Findings: cell features ran twice ([2], [5]) and was edited in between.",
  "",
  "// ---- [1] cell load · 2026-12-04T16:00:01Z · ok (80 ms)",
  'const weather = await dw.loadDataset({ "path": "data/seattle-weather.csv" }); // %dw load_dataset data/seattle-weather.csv --as weather',
  "",
  "// ---- [5] cell features · 2026-12-04T16:00:50Z · ok (2 ms)",
  'const features = ["precipitation", "temp_min", "wind"];',
  "",
  "// ---- [6] cell train · 2026-12-04T16:01:02Z · running (the training cell)",
  'const run = await dw.trainModel({ dataset_id: "weather", target: "temp_max", features, seed: 42 });',
  "",
].join("\n");

const history: RunHistory = {
  run_id: "20261204-160102-a1b2c3",
  history_ts: HISTORY_TS,
  notebook_ts: "// %% [load]\n// %dw load_dataset data/seattle-weather.csv --as weather\n",
  findings: [
    { kind: "not_run", cell_id: "plot", execution_counts: [], message: "Cell plot, above the training cell, never ran in this kernel session." },
    { kind: "rerun", cell_id: "features", execution_counts: [2, 5], message: "Cell features ran twice ([2], [5])." },
    { kind: "unsaved_edits", execution_counts: [], message: "The notebook in the browser differed from the file on disk in cells features." },
  ],
  notebook_source: "browser",
  environment: {
    node: "v22.11.0",
    v8: "12.4.254.21-node.21",
    dw: "0.1.0",
    tslab: "1.0.22",
    os: { platform: "linux", release: "6.8.0", arch: "x64" },
    cpu: { model: "AMD EPYC 7B13", count: 2 },
    dependencies: { zod: "4.6.7" },
  },
  cell_id: "train",
  created_at: "2026-12-04T16:01:02.345Z",
  previous: { run_id: "20261204-155500-ffeedd", version: 1 },
};

test("get_run_history is asked by model reference, so the kernel resolves the run and its previous version", () => {
  assert.deepEqual(historyInput("temp", 2), { model_id: "temp/2" });
});

test("an answer the dialog can read gives the code in execution order, with a mark on each cell's header", () => {
  const read = readRunHistory({ ...history, extra_field: true });
  assert.ok(read.ok);
  const view = runCodeView(read.value);
  assert.equal(view.runId, history.run_id);
  assert.equal(view.code?.of, "history");
  assert.equal(view.code?.text, HISTORY_TS);
  assert.equal(view.code?.cells, 3);
  const text = (tokens: { text: string }[]) => tokens.map((t) => t.text).join("");
  const headers = view.code!.lines.filter((l) => l.cell).map((l) => text(l.tokens));
  assert.deepEqual(
    headers.map((line) =>
      line
        .match(/\[(\d+)\] cell (\w+)/)
        ?.slice(1)
        .join(" "),
    ),
    ["1 load", "5 features", "6 train"],
    "the cells in the order they ran, not notebook order",
  );
  assert.equal(view.code!.lines.map((l) => text(l.tokens)).join("\n"), HISTORY_TS, "the lines are the text, nothing lost or added");
  assert.equal(view.codeNote, null);
  assert.equal(view.created.text, "2026-12-04 16:01");
});

test("an answer that does not match names the tool and the field", () => {
  const read = readRunHistory({ ...history, findings: [{ kind: "bogus", execution_counts: [], message: "x" }] });
  assert.equal(read.ok, false);
  assert.match(!read.ok ? read.message : "", /^get_run_history .*findings\.0\.kind/);
  const byRun = readRunHistory({ ...history, previous: undefined });
  assert.equal(byRun.ok && byRun.value.previous, null, "asked by run id, there is no previous version");
  const noRun = readRunHistory({ ...history, run_id: undefined });
  assert.match(!noRun.ok ? noRun.message : "", /run_id/);
});

test("findings are listed unsaved edits and edits first, never-run cells last, each saying where", () => {
  const view = runCodeView(history);
  assert.deepEqual(
    view.findings.map((f) => [f.kind, f.label, f.where]),
    [
      ["unsaved_edits", "Unsaved edits", null],
      ["rerun", "Run more than once", "cell features · [2], [5]"],
      ["not_run", "Never run", "cell plot"],
    ],
  );
  assert.equal(view.findings[1]!.message, "Cell features ran twice ([2], [5]).");
});

test("the notebook's source says browser (unsaved edits included), disk, or none", () => {
  assert.equal(runCodeView(history).notebookSource.kind, "browser");
  assert.match(runCodeView(history).notebookSource.text, /in the browser .*unsaved edits included/);
  assert.match(runCodeView({ ...history, notebook_source: "disk" }).notebookSource.text, /saved on disk/);
  assert.equal(runCodeView({ ...history, notebook_source: null }).notebookSource.kind, "none");
});

test("a run without a history shows its notebook in cell order and says why; without either, says so", () => {
  const notebookOnly = runCodeView({ ...history, history_ts: null });
  assert.equal(notebookOnly.code?.of, "notebook");
  assert.equal(notebookOnly.code?.cells, 0, "a notebook's cell separators are not execution headers");
  assert.match(notebookOnly.codeNote ?? "", /no execution history .*cell order, which need not be the order it ran in/);
  const nothing = runCodeView({ ...history, history_ts: null, notebook_ts: null });
  assert.equal(nothing.code, null);
  assert.match(nothing.codeNote ?? "", /neither an execution history nor a notebook/);
});

test("the environment is one line (Node, tslab, dw, OS, CPU), the whole record in its title", () => {
  const line = environmentLine(history.environment);
  assert.equal(line.text, "Node 22.11.0 · tslab 1.0.22 · dw 0.1.0 · linux 6.8.0 x64 · AMD EPYC 7B13 ×2");
  assert.match(line.title, /"zod": "4.6.7"/);
  assert.match(environmentLine(null).text, /not recorded/);
  assert.equal(environmentLine({ node: "v20.1.0", os: { platform: "darwin" } }).text, "Node 20.1.0 · darwin");
  assert.match(environmentLine({ something: 1 }).text, /without Node, dw or OS fields/);
});

test("Diff with previous version compares the previous version's run with this one's, or says why not", () => {
  const plan = diffInput(history, 2);
  assert.deepEqual(plan, { ok: true, input: { run_ids: ["20261204-155500-ffeedd", history.run_id] }, label: "v1 → v2" });
  const first = diffInput({ ...history, previous: null }, 1);
  assert.equal(first.ok, false);
  assert.match(!first.ok ? first.reason : "", /v1 is the model's first version/);
  const sameRun = diffInput({ ...history, previous: { run_id: history.run_id, version: 1 } }, 2);
  assert.match(!sameRun.ok ? sameRun.reason : "", /registered from the same run/);
});

test("the code diff says what was diffed: the history, the notebooks or the training cells", () => {
  const base = { from_run: "a", to_run: "b", status: "different", added: 1, removed: 1, diff: "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n" };
  const ofHistory = codeDiffView({ ...base, of: "history" });
  assert.equal(ofHistory?.heading, "Code that ran before training");
  assert.deepEqual(ofHistory?.of?.kind, "history");
  assert.match(ofHistory?.of?.text ?? "", /execution order \(execution\/history\.ts\)/);
  assert.match(codeDiffView({ ...base, of: "notebook" })?.of?.text ?? "", /notebook\.ts/);
  assert.match(codeDiffView({ ...base, of: "cell" })?.of?.text ?? "", /cell\.ts/);
  const older = codeDiffView(base);
  assert.equal(older?.of, null, "an older kernel's diff does not say");
  assert.equal(older?.heading, "Training cell code");
  assert.equal(codeDiffView({ ...base, of: "elsewhere" }), null, "an unknown kind is not shown as one of ours");
});

const reproduction = {
  identical: true,
  run_id: "20261204-160102-a1b2c3",
  model_json: { stored_sha256: "ab".repeat(32), rebuilt_sha256: "ab".repeat(32), bytes: 5321 },
  metrics: [
    { name: "r2", stored: 0.8123456789012345, rebuilt: 0.8123456789012345, equal: true },
    { name: "rmse", stored: 2.5, rebuilt: 2.5, equal: true },
  ],
  differences: [],
  environment: { same: true, changes: [] },
};

test("a reproduction with the same bytes says so with the sha256 and every metric to the last digit", () => {
  const read = readReproduction(reproduction);
  assert.ok(read.ok);
  const view = reproduceView(read.value);
  assert.equal(view.identical, true);
  assert.match(view.headline, /^Same bytes: .* sha256 (ab){32} \(5,321 bytes\); 2 of 2 metrics equal to the last digit\.$/);
  assert.deepEqual(
    view.metrics.map((m) => m.text),
    ["r2 0.8123456789012345 (equal)", "rmse 2.5 (equal)"],
  );
  assert.deepEqual(view.differences, []);
  assert.equal(view.environment, "Same environment as when the model was trained.");
  assert.equal(view.data, null);
});

test("the tool's own verdict is the headline when it gives one, and the data says where it was found by its hash", () => {
  const read = readReproduction({
    ...reproduction,
    verdict: "Same bytes: model.json sha256 abab…, 2 metrics equal to the last digit.",
    data: { dataset_id: "weather", sha256: "0845078a290b48e3", found_in: "cache", source: "data/seattle-weather.csv" },
    environment: { recorded: false, same: true, changes: [] },
  });
  assert.ok(read.ok);
  const view = reproduceView(read.value);
  assert.equal(view.headline, "Same bytes: model.json sha256 abab…, 2 metrics equal to the last digit.");
  assert.equal(view.data, "Data weather, sha256 0845078a290b, found by its content hash in the data cache.");
  assert.match(view.environment, /recorded no environment/);
  const fromSource = reproduceView({ ...read.value, data: { ...read.value.data!, found_in: "source" } });
  assert.match(fromSource.data ?? "", /its recorded source data\/seattle-weather\.csv, hashed again/);
});

test("a reproduction that differs lists each difference in the tool's words, the metrics that moved and the environment's changes", () => {
  const read = readReproduction({
    ...reproduction,
    identical: false,
    model_json: { stored_sha256: "ab".repeat(32), rebuilt_sha256: "cd".repeat(32), bytes: 5321 },
    metrics: [{ name: "r2", stored: 0.81, rebuilt: 0.79, equal: false }],
    differences: [
      {
        kind: "parameter",
        path: "hyperparameters.max_depth",
        stored: 3,
        rebuilt: 4,
        message: "hyperparameters.max_depth: params.json says 4, model.json records 3",
      },
      { kind: "model", path: "params.trees[12].threshold[4]", stored: 1.5, rebuilt: 1.25 },
      "the data's sha256 differs",
    ],
    environment: { recorded: true, same: false, changes: [{ field: "node", stored: "20.1.0", current: "22.11.0" }, "cpu count 2 → 8"] },
  });
  assert.ok(read.ok);
  const view = reproduceView(read.value);
  assert.equal(view.identical, false);
  assert.match(view.headline, /^Not the same: 3 differences/);
  assert.deepEqual(view.differences, [
    "hyperparameters.max_depth: params.json says 4, model.json records 3",
    "params.trees[12].threshold[4]: 1.5 then, 1.25 now",
    "the data's sha256 differs",
  ]);
  assert.equal(view.sha256.rebuilt, "cd".repeat(32));
  assert.match(view.metrics[0]!.text, /^r2 stored 0\.810, rebuilt 0\.790 \(stored 0\.81, rebuilt 0\.79\)$/);
  assert.equal(view.environment, "Environment changed since the training: node: 20.1.0 then, 22.11.0 now; cpu count 2 → 8.");
});

test("reproduce_run's answer that does not match names the field", () => {
  const read = readReproduction({ ...reproduction, model_json: { stored_sha256: "ab" } });
  assert.match(!read.ok ? read.message : "", /^reproduce_run .*model_json\.rebuilt_sha256|^reproduce_run .*model_json\.bytes/);
});

test("highlighting colours comments, strings, keywords and numbers, across lines where a comment or template runs on", () => {
  const lines = highlightTs('const x = 42; // the answer\nlet s = "a \\" b" + `t\n${x}` /* one\ntwo */ / 2;');
  const kinds = lines.map((line) => line.map((t) => `${t.kind}:${t.text}`));
  assert.deepEqual(kinds[0], ["keyword:const", "plain: x = ", "number:42", "plain:; ", "comment:// the answer"]);
  assert.deepEqual(kinds[1], ["keyword:let", "plain: s = ", 'string:"a \\" b"', "plain: + ", "string:`t"]);
  assert.deepEqual(kinds[2], ["string:${x}`", "plain: ", "comment:/* one"]);
  assert.deepEqual(kinds[3], ["comment:two */", "plain: / ", "number:2", "plain:;"]);
});

test("highlighting keeps every character, on any text, including unterminated strings and comments", () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  const alphabet = ["a", "Z", "_", "$", "1", ".", " ", "\n", "/", "*", '"', "'", "`", "\\", "{", "}", "const", "await"];
  for (let round = 0; round < 300; round += 1) {
    const text = Array.from({ length: Math.floor(rand() * 60) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    const back = highlightTs(text)
      .map((line) => line.map((t) => t.text).join(""))
      .join("\n");
    assert.equal(back, text, JSON.stringify(text));
  }
});
