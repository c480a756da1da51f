import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../helpers/tempWorkspace.js";
import { startKernel, type KernelProcess } from "./helpers/kernelProcess.js";
import { HistoryDocument } from "../../src/execution/HistoryDocument.js";
import { HISTORY_SESSION } from "../../kernel/history.js";

// What a real kernel records of what it ran, over the Jupyter protocol: each cell's count, id,
// status (ok, error, aborted when interrupted), its dw
// calls, and the notebook JupyterLab's extension sent before the cell; a run commit stores them
// (execution/history.json), and history_request answers from the same list.

let tw: TempWorkspace;
let k: KernelProcess;
let notebookFile: string;

const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, source, outputs: [], execution_count: null });
const notebook = (cells: unknown[]) =>
  JSON.stringify({ cells, metadata: { kernelspec: { name: "dw", display_name: "TypeScript (dw)" } }, nbformat: 4, nbformat_minor: 5 });

before(async () => {
  tw = await makeTempWorkspace("dw-exec-history-");
  notebookFile = join(tw.dir, "weather.ipynb");
  await writeFile(notebookFile, notebook([cell("c-a", "const a = 1;")]));
  k = await startKernel({ cwd: tw.dir, env: { DW_NOTEBOOK: notebookFile } });
});
after(async () => {
  await k?.stop();
  await tw?.cleanup();
});

const executeRequest = (code: string) => ({ code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
const execute = (code: string, cellId: string) => k.request("shell", "execute_request", executeRequest(code), { cellId });
const show = (ref: string, path: string) => execFileSync("git", ["show", `${ref}:${path}`], { cwd: tw.dir, encoding: "utf8" });

const loadCell = "// an edit not saved\n%dw load_dataset data/seattle-weather.csv --dataset_id weather --as w";
const trainCell = "%%dw train_model --as run\ndataset_id: weather\ntarget: temp_max\nfeatures: temp_min";

test("a run commit holds exactly what ran, in order, with cell ids, statuses and dw calls, and the browser's notebook", async () => {
  assert.equal((await execute("const a = 1;", "c-a")).reply.content.status, "ok");
  assert.equal((await execute("throw new Error('boom')", "c-err")).reply.content.status, "error");

  // Interrupted while it awaits: aborted.
  const waiting = k.send("shell", "execute_request", executeRequest("await new Promise((r) => setTimeout(r, 600000));"), { cellId: "c-wait" });
  await k.waitForIopub((m) => m.header.msg_type === "execute_input" && (m.parent_header as { msg_id?: string }).msg_id === waiting.id);
  await k.request("control", "interrupt_request", {});
  assert.equal((await waiting.done).reply.content.status, "error");

  assert.equal((await execute("throw new Error('again')", "c-err2")).reply.content.status, "error");

  // The extension sends the notebook as the browser has it (an unsaved edit in c-load) before the cell.
  const browserNotebook = notebook([cell("c-a", "const a = 1;"), cell("c-load", loadCell)]);
  await k.notify("comm_open", { comm_id: "snap", target_name: "dw", data: {} });
  await k.notify("comm_msg", { comm_id: "snap", data: { type: "notebook_snapshot", path: "weather.ipynb", content: browserNotebook, cell_id: "c-load" } });
  // One for another notebook on the same kernel is ignored.
  await k.notify("comm_msg", { comm_id: "snap", data: { type: "notebook_snapshot", path: "other.ipynb", content: notebook([]) } });
  const loaded = await execute(loadCell, "c-load");
  assert.equal(loaded.reply.content.status, "ok", JSON.stringify(loaded.reply.content));

  const trained = await execute(trainCell, "c-train");
  assert.equal(trained.reply.content.status, "ok", JSON.stringify(trained.reply.content));
  const ref = execFileSync("git", ["for-each-ref", "--format=%(refname)", "refs/dw/runs/"], { cwd: tw.dir, encoding: "utf8" }).trim();
  assert.equal(ref.split("\n").length, 1, ref);

  const doc = HistoryDocument.parse(JSON.parse(show(ref, "execution/history.json")));
  assert.equal(doc.notebook_source, "browser");
  assert.equal(doc.execution.dropped, 0);
  assert.deepEqual(
    doc.execution.cells.map((c) => [c.execution_count, c.cell_id, c.status]),
    [
      [1, "c-a", "ok"],
      [2, "c-err", "error"],
      [3, "c-wait", "aborted"],
      [4, "c-err2", "error"],
      [5, "c-load", "ok"],
      [6, "c-train", "running"],
    ],
  );
  assert.equal(doc.execution.cells[5].code, trainCell, "the code as the user wrote it, magic and all");
  assert.deepEqual(doc.execution.cells[4].dw_calls, [
    { tool: "load_dataset", line: 2, input: { path: "data/seattle-weather.csv", dataset_id: "weather" }, as: "w", ok: true, result_id: "weather" },
  ]);
  assert.deepEqual(
    doc.execution.cells[5].dw_calls,
    [{ tool: "train_model", input: { dataset_id: "weather", target: "temp_max", features: ["temp_min"] }, as: "run", ok: true, pending: true }],
    "the training call is in progress when its commit is written: recorded as pending, with the input it was made with",
  );
  assert.match(show(ref, "execution/history.ts"), /^const run = await dw\.trainModel\(.*\(this call made the run\)$/m);
  for (const c of doc.execution.cells.slice(0, 5)) assert.ok(typeof c.duration_ms === "number" && c.duration_ms >= 0, JSON.stringify(c));
  assert.match(show(ref, "notebook.ipynb"), /an edit not saved/, "the notebook stored is the browser's");
});

test("the next run sees the training cell ended, with its call and the run it made; history_request answers from the same list", async () => {
  const again = await execute("await dw.trainModel({ dataset_id: 'weather', target: 'temp_max', features: ['wind'] })", "c-train2");
  assert.equal(again.reply.content.status, "ok", JSON.stringify(again.reply.content));
  const refs = execFileSync("git", ["for-each-ref", "--sort=refname", "--format=%(refname)", "refs/dw/runs/"], { cwd: tw.dir, encoding: "utf8" })
    .trim()
    .split("\n");
  assert.equal(refs.length, 2);
  const [first, second] = refs;
  const doc = HistoryDocument.parse(JSON.parse(show(second, "execution/history.json")));
  const training = doc.execution.cells.find((c) => c.cell_id === "c-train")!;
  assert.equal(training.status, "ok");
  assert.deepEqual(training.dw_calls, [
    {
      tool: "train_model",
      input: { dataset_id: "weather", target: "temp_max", features: ["temp_min"] },
      as: "run",
      ok: true,
      result_id: first.split("/").at(-1),
    },
  ]);
  assert.deepEqual(doc.execution.cells.at(-1)!.cell_id, "c-train2");

  const tail = await k.request("shell", "history_request", { hist_access_type: "tail", n: 3, output: false, raw: true });
  assert.deepEqual(tail.reply.content.history, [
    [HISTORY_SESSION, 5, loadCell],
    [HISTORY_SESSION, 6, trainCell],
    [HISTORY_SESSION, 7, "await dw.trainModel({ dataset_id: 'weather', target: 'temp_max', features: ['wind'] })"],
  ]);
  const range = await k.request("shell", "history_request", { hist_access_type: "range", session: 0, start: 1, stop: 5, output: false, raw: true });
  assert.deepEqual(
    (range.reply.content.history as unknown[][]).map((e) => e[2]),
    ["const a = 1;", "throw new Error('boom')", "await new Promise((r) => setTimeout(r, 600000));", "throw new Error('again')"],
  );
});
