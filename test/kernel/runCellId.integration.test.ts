import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, type TempWorkspace } from "../helpers/tempWorkspace.js";
import { startKernel, type KernelProcess } from "./helpers/kernelProcess.js";
import { createToolContext, runTool } from "../../src/index.js";
import { ok } from "../helpers/results.js";
import type { RunSummary } from "../../src/runs/RunSummary.js";

// A run remembers the notebook cell that made it: JupyterLab sends the cell's id in
// execute_request's metadata (`cellId`; nbclient 0.11 does not, test/notebook/run_cells.py adds it);
// the kernel records it in run.json and list_runs shows it.

let tw: TempWorkspace;
let k: KernelProcess;

before(async () => {
  tw = await makeTempWorkspace("dw-cellid-");
  k = await startKernel({ cwd: tw.dir });
  const loaded = await execute("%dw load_dataset data/seattle-weather.csv --dataset_id weather", { cellId: "load-cell" });
  assert.equal(loaded.reply.content.status, "ok", JSON.stringify(loaded.reply.content));
});
after(async () => {
  await k?.stop();
  await tw?.cleanup();
});

const execute = (code: string, metadata?: Record<string, unknown>) =>
  k.request("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false }, metadata);

/** Runs a training cell with this request metadata, then the newest run as list_runs (in this process, as the CLI would) and run.json give it. */
async function trainIn(code: string, metadata?: Record<string, unknown>): Promise<{ summary: RunSummary; stored: Record<string, any> }> {
  const x = await execute(code, metadata);
  assert.equal(x.reply.content.status, "ok", JSON.stringify(x.reply.content));
  const ctx = await createToolContext({ cwd: tw.dir });
  const [summary] = ok(await runTool("list_runs", { limit: 1 }, ctx)).runs as RunSummary[];
  const stored = JSON.parse(execFileSync("git", ["show", `refs/dw/runs/${summary.run_id}:run.json`], { cwd: tw.dir, encoding: "utf8" }));
  return { summary, stored };
}

const magic = "%dw train_model --data weather --target temp_max --features temp_min,wind";

test("a %dw line's run records the id of the cell it ran in", async () => {
  const { summary, stored } = await trainIn(magic, { cellId: "3f2a9c1e-77b0-4d2e-9a51-0c7e5b8d1f64", recordTiming: false });
  assert.equal(stored.origin.cell_id, "3f2a9c1e-77b0-4d2e-9a51-0c7e5b8d1f64");
  assert.equal(stored.origin.via, "kernel");
  assert.equal(stored.origin.has_cell, true);
  assert.deepEqual(summary.origin, { via: "kernel", cell_id: "3f2a9c1e-77b0-4d2e-9a51-0c7e5b8d1f64" });
});

test("a call through the dw object records its cell's id too", async () => {
  const { stored } = await trainIn('await dw.trainModel({ dataset_id: "weather", target: "temp_max", features: ["temp_min"] })', { cellId: "bridge_cell-2" });
  assert.equal(stored.origin.cell_id, "bridge_cell-2");
});

test("a cell id that is not one (nbformat: 1-64 letters, digits, - and _) or none at all is not recorded", async () => {
  for (const metadata of [{ cellId: "../../refs/heads/main" }, { cellId: "x".repeat(65) }, { cellId: 42 }, { cellId: "" }, {}, undefined]) {
    const { summary, stored } = await trainIn(magic, metadata);
    assert.equal(stored.origin.cell_id, undefined, JSON.stringify(metadata));
    assert.equal(summary.origin.cell_id, undefined);
    assert.equal(stored.origin.has_cell, true);
  }
});

test("the next cell without an id does not inherit the previous cell's", async () => {
  await trainIn(magic, { cellId: "first" });
  const { stored } = await trainIn(magic);
  assert.equal(stored.origin.cell_id, undefined);
});
