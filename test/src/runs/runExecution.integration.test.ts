import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";
import type { RunOrigin } from "../../../src/runs/RunOrigin.js";
import { NOTEBOOK_LIMITS } from "../../../src/execution/stripNotebook.js";
import { sessionNotebook, sessionRecord } from "../execution/executionFixture.js";

// A run commit made through train_model with what the kernel sends (its history, the browser's
// notebook and the saved file) holds every file of the record; read back with git itself.

/** The limit docs/notebook-state.md documents for a run commit made from a notebook with large outputs. */
const RUN_COMMIT_MAX_BYTES = 3 * 2 ** 20;

let tw: TempWorkspace;
const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
const train = async (origin: RunOrigin, features = ["precipitation", "temp_min", "wind"]) => {
  const ctx: ToolContext = await createToolContext({ cwd: tw.dir, origin });
  return ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features, algorithm: "linear_regression" }, ctx));
};

/** The browser's notebook with 12 MB of outputs: images, a long stream, widget state. */
function heavyNotebook(): string {
  const nb = JSON.parse(sessionNotebook(true));
  nb.metadata.widgets = { "application/vnd.jupyter.widget-state+json": { state: { w: { big: "s".repeat(200_000) } } } };
  nb.cells[1].outputs = Array.from({ length: 8 }, () => ({
    output_type: "display_data",
    metadata: {},
    data: { "image/png": "iVBOR".repeat(200_000), "text/plain": "<Figure>" },
  }));
  nb.cells[2].outputs = [{ output_type: "stream", name: "stdout", text: "row\n".repeat(500_000) }];
  nb.cells[3].outputs = Array.from({ length: 40 }, (_, i) => ({
    output_type: "execute_result",
    execution_count: i,
    metadata: {},
    data: { "text/html": "<td>1</td>".repeat(20_000) },
  }));
  return JSON.stringify(nb);
}

before(async () => {
  tw = await makeTempWorkspace();
  const ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
});
after(async () => tw.cleanup());

test("a run from the kernel holds history.json and .ts, environment.json, notebook.ts and the stripped notebook, under the documented size", async () => {
  const heavy = heavyNotebook();
  assert.ok(heavy.length > 10 * 2 ** 20, `${heavy.length} characters of notebook`);
  const run = await train({
    via: "kernel",
    cell: sessionRecord().cells[5].code,
    cell_id: "train",
    notebook: { path: "weather.ipynb", content: heavy, source: "browser", saved: sessionNotebook(false) },
    execution: sessionRecord(),
  });
  const ref = `refs/dw/runs/${run.run_id}`;
  const files = git("ls-tree", "-r", "-l", ref)
    .trim()
    .split("\n")
    .map((l) => {
      const [meta, path] = l.split("\t");
      return { path, size: Number(meta.trim().split(/\s+/)[3]) };
    });
  const paths = files.map((f) => f.path);
  for (const p of [
    "cell.ts",
    "notebook.ipynb",
    "notebook.ts",
    "execution/history.json",
    "execution/history.ts",
    "execution/environment.json",
    "run.json",
    "model.json",
  ]) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(", ")}`);
  }
  const total = files.reduce((n, f) => n + f.size, 0);
  assert.ok(total < RUN_COMMIT_MAX_BYTES, `the run commit's files total ${total} bytes`);
  console.log(`# a ${heavy.length}-character notebook gave a run commit of ${total} bytes in ${files.length} files`);
  const stored = JSON.parse(git("show", `${ref}:notebook.ipynb`));
  assert.ok(JSON.stringify(stored).length <= NOTEBOOK_LIMITS.maxNotebookChars);
  assert.equal(stored.metadata.widgets, undefined);
  assert.match(stored.cells[1].outputs[0].data["text/plain"], /image\/png output of cell load removed from the run commit: 1000000 characters/);

  const runJson = JSON.parse(git("show", `${ref}:run.json`));
  assert.equal(runJson.origin.notebook_source, "browser");
  assert.equal(runJson.origin.history, true);
  const history = JSON.parse(git("show", `${ref}:execution/history.json`));
  assert.equal(history.execution.cells.length, 6);
  assert.deepEqual(
    history.findings.map((f: { kind: string }) => f.kind),
    ["errored_before", "edited_after_run", "edited_after_run", "out_of_order", "not_in_notebook", "not_run", "unsaved_edits"],
  );
  const ts = git("show", `${ref}:execution/history.ts`);
  assert.ok(ts.startsWith(`// dw run ${run.run_id}: `));
  assert.match(ts, /^\/\/ ---- \[6\] cell train · 2026-12-04T16:06:02Z · running · the cell that made this run$/m);
  assert.match(git("show", `${ref}:notebook.ts`), /^\/\/ %% \[feat\]\nconst features = \["wind"\];$/m, "notebook.ts is the browser's notebook");
  const env = JSON.parse(git("show", `${ref}:execution/environment.json`));
  assert.equal(env.node, process.versions.node);
  assert.match(git("log", "-1", "--format=%B", ref), /notebook: weather\.ipynb \(from the browser\)\n.*history: execution\/history\.ts/s);

  const h = ok(await runTool("get_run_history", { run_id: run.run_id }, await createToolContext({ cwd: tw.dir })));
  assert.equal(h.history_ts, ts);
  assert.equal(h.findings.length, 7);
  assert.equal(h.cell_id, "train");
  assert.equal(h.notebook_source, "browser");
});

test("a notebook that cannot be parsed is stored as given, without notebook.ts, and the run is written", async () => {
  const run = await train({ via: "kernel", cell: "x", notebook: { path: "broken.ipynb", content: '{"cells": [{"cell_type": "python"' } });
  const ref = `refs/dw/runs/${run.run_id}`;
  assert.equal(git("show", `${ref}:notebook.ipynb`), '{"cells": [{"cell_type": "python"');
  assert.throws(() => git("show", `${ref}:notebook.ts`));
  assert.throws(() => git("show", `${ref}:execution/history.ts`), "no history without the kernel's record");
  git("show", `${ref}:execution/environment.json`);
  assert.match(git("log", "-1", "--format=%B", ref), /notebook kept as given, without notebook\.ts: the notebook broken\.ipynb is not JSON/);
  const runJson = JSON.parse(git("show", `${ref}:run.json`));
  assert.equal(runJson.origin.notebook_source, "disk");
  assert.equal(runJson.origin.history, false);
});

test("get_run_history by model version gives the previous version's run; compare_experiments diffs history.ts", async () => {
  const record = sessionRecord();
  const nb = sessionNotebook(false);
  const r1 = await train({ via: "kernel", cell: "c", cell_id: "train", notebook: { path: "w.ipynb", content: nb, source: "disk" }, execution: record });
  const edited = structuredClone(record);
  edited.cells[2].code = 'console.log(rows, "<b>&");\n%dw help train_model';
  edited.cells[3].code = 'const features = ["precipitation", "wind"];\nfunction label(f: string) { return f.toUpperCase(); }';
  const r2 = await train({ via: "kernel", cell: "c", cell_id: "train", notebook: { path: "w.ipynb", content: nb, source: "disk" }, execution: edited }, [
    "precipitation",
    "wind",
  ]);
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("register_model", { model_id: r1.run_id, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: r2.run_id, model_name: "temp" }, ctx));

  const h = ok(await runTool("get_run_history", { model_id: "temp/2" }, ctx));
  assert.equal(h.run_id, r2.run_id);
  assert.deepEqual(h.model, { name: "temp", version: 2 });
  assert.equal(h.previous.run_id, r1.run_id);
  assert.equal(h.previous.version, 1);
  assert.match(h.previous.history_ts, /const features = \["precipitation", "temp_min", "wind"\];/);
  const html = renderResultHtml("get_run_history", h);
  assert.match(html, /The code behind temp \(v2\), run /);
  assert.match(html, /<td[^>]*>out_of_order<\/td>/);
  assert.match(html, /<pre[^>]*>\/\/ dw run /);
  assert.ok(html.includes("console.log(rows, &quot;&lt;b&gt;&amp;&quot;);"), "the code is escaped");
  assert.ok(!html.includes("<b>&"));
  assert.ok(html.includes(`git diff refs/dw/runs/${r1.run_id} refs/dw/runs/${r2.run_id} -- notebook.ts execution/history.ts`));
  const byPositional = ok(await runTool("get_run_history", { run_id: "temp/1" }, ctx));
  assert.equal(byPositional.run_id, r1.run_id);
  assert.equal(byPositional.previous, null);

  const cmp = ok(await runTool("compare_experiments", { run_ids: [r1.run_id, r2.run_id] }, ctx));
  assert.equal(cmp.code_diff.of, "history");
  assert.equal(cmp.code_diff.path, "execution/history.ts");
  assert.match(cmp.code_diff.diff, /^-const features = \["precipitation", "temp_min", "wind"\];\n\+const features = \["precipitation", "wind"\];$/m);
  assert.equal(cmp.data_diff.same_data, true);
  assert.equal(cmp.data_diff.same_schema, true);
  assert.match(cmp.data_diff.summary, /^the same bytes; \d+ rows both\.$/);

  for (const [input, code, field] of [
    [{ model_id: "temp/9" }, "NOT_FOUND", "model_id"],
    [{ model_id: "nope@production" }, "NOT_FOUND", "model_id"],
    [{ model_id: "temp" }, "INVALID_INPUT", "model_id"],
    [{}, "INVALID_INPUT", "run_id"],
    [{ run_id: "20990101-000000-abcdef" }, "NOT_FOUND", "run_id"],
  ] as const) {
    const e = err(await runTool("get_run_history", input, ctx));
    assert.equal(e.code, code, JSON.stringify(input));
    assert.equal(e.details?.field, field, JSON.stringify(input));
    assert.ok(e.hint, JSON.stringify(input));
  }
});
