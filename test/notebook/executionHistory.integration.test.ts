import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../helpers/tempWorkspace.js";
import { HistoryDocument } from "../../src/execution/HistoryDocument.js";
import { text, type Output } from "./notebookRun.js";

// The notebook trap, under nbclient: cells run out of order, one of them run again with other code
// that was never saved, then a training. The run commit's execution/history.json says exactly what
// the kernel ran, in order, with the cells' ids and the %dw call; history_request over the kernel's
// wire answers the same; the notebook stored is the file on disk (nbclient sends no snapshot).

const tw = await makeTempWorkspace("dw-nb-history-");
after(() => tw.cleanup());

const loadCell = "%dw load_dataset data/seattle-weather.csv --dataset_id weather --as weather";
const featuresCell = 'let features = ["temp_min"];';
const editedFeatures = 'features = ["temp_min", "wind"];';
const trainCell = 'const run = await dw.trainModel({ dataset_id: "weather", target: "temp_max", features: features });\nrun.run_id';

interface Ran {
  steps: { cell: number; execution_count: number | null; outputs: Output[] }[];
  history: { status: string; history: [number, number, string][] };
}

test("a run made after out-of-order and edited cells records exactly what ran, and history_request agrees", async () => {
  const nb = {
    cells: [
      { cell_type: "code", id: "load", metadata: {}, source: loadCell, outputs: [], execution_count: null },
      { cell_type: "code", id: "features", metadata: {}, source: featuresCell, outputs: [], execution_count: null },
      { cell_type: "code", id: "train", metadata: {}, source: trainCell, outputs: [], execution_count: null },
    ],
    metadata: { kernelspec: { name: "dw", display_name: "TypeScript (dw)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const src = join(tw.dir, "weather.ipynb");
  const planFile = join(tw.dir, "plan.json");
  const out = join(tw.dir, "ran.json");
  await writeFile(src, JSON.stringify(nb));
  // features before load (out of order), then features again with code never saved, then train.
  await writeFile(planFile, JSON.stringify([{ cell: 1 }, { cell: 0 }, { cell: 1, source: editedFeatures }, { cell: 2 }]));
  const r = spawnSync(join(repoRoot, ".venv", "bin", "python"), [join(repoRoot, "test", "notebook", "run_cells.py"), src, planFile, out], {
    encoding: "utf8",
    timeout: 400_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const ran = JSON.parse(await readFile(out, "utf8")) as Ran;
  for (const s of ran.steps) assert.ok(!s.outputs.some((o) => o.output_type === "error"), JSON.stringify(s.outputs));
  assert.deepEqual(
    ran.steps.map((s) => s.execution_count),
    [1, 2, 3, 4],
  );
  const runId = text(ran.steps[3].outputs.find((o) => o.output_type === "execute_result")?.data?.["text/plain"] as string).replace(/['"]/g, "");
  assert.match(runId, /^\d{8}-\d{6}-[0-9a-f]{6}$/);

  const doc = HistoryDocument.parse(
    JSON.parse(execFileSync("git", ["show", `refs/dw/runs/${runId}:execution/history.json`], { cwd: tw.dir, encoding: "utf8" })),
  );
  assert.deepEqual(
    doc.execution.cells.map((c) => ({ n: c.execution_count, id: c.cell_id, code: c.code, status: c.status })),
    [
      { n: 1, id: "features", code: featuresCell, status: "ok" },
      { n: 2, id: "load", code: loadCell, status: "ok" },
      { n: 3, id: "features", code: editedFeatures, status: "ok" },
      { n: 4, id: "train", code: trainCell, status: "running" },
    ],
  );
  assert.deepEqual(doc.execution.cells[1].dw_calls, [
    { tool: "load_dataset", line: 1, input: { path: "data/seattle-weather.csv", dataset_id: "weather" }, as: "weather", ok: true, result_id: "weather" },
  ]);
  assert.equal(doc.execution.dropped, 0);
  assert.equal(doc.notebook_source, "disk");
  // What dw makes of it (part of the run commit's record): the load ran after a cell below it, and
  // the features cell ran with code the notebook does not show.
  const kinds = new Set(doc.findings.map((f) => `${f.kind}:${f.cell_id ?? ""}`));
  assert.ok(kinds.has("out_of_order:load"), JSON.stringify(doc.findings));
  assert.ok(kinds.has("edited_after_run:features"), JSON.stringify(doc.findings));
  // The run trained on the features that ran, not on those saved.
  const params = JSON.parse(execFileSync("git", ["show", `refs/dw/runs/${runId}:params.json`], { cwd: tw.dir, encoding: "utf8" }));
  assert.deepEqual(params.features, ["temp_min", "wind"]);

  assert.equal(ran.history.status, "ok");
  assert.deepEqual(ran.history.history, [
    [1, 1, featuresCell],
    [1, 2, loadCell],
    [1, 3, editedFeatures],
    [1, 4, trainCell],
  ]);
});
