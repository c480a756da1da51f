import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fitInWorker, warmFitWorker } from "../../../src/models/fitInWorker.js";
import { createRandom } from "../../../src/models/random.js";
import { fitOnThread } from "../../../src/training/fitOnThread.js";

function data(rows: number, cols: number) {
  const rand = createRandom(9);
  const X = Float64Array.from({ length: rows * cols }, () => rand() * 2 - 1);
  const y = Float64Array.from({ length: rows }, (_, i) => (X[i * cols] - 0.3 * X[i * cols + 1] + 0.1 * rand() > 0 ? 1 : 0));
  return { X: { data: X, rows, cols }, y };
}

test("a fit taken by the worker started early gives the model a fit here gives, to the byte", async () => {
  warmFitWorker();
  warmFitWorker(); // a second call while one waits starts no other
  const a = data(400, 5);
  const b = data(400, 5);
  const there = await fitInWorker("logistic_regression", "classification", a.X, a.y, 2, {}, 3);
  const here = fitOnThread("logistic_regression", "classification", b.X, b.y, 2, {}, 3);
  assert.equal(JSON.stringify(there.predictor.json), JSON.stringify(here.predictor.json));
});

test("a process that started the worker early and never fitted ends by itself (a training that failed at its gates)", () => {
  const module = new URL("../../../src/models/fitInWorker.js", import.meta.url).href;
  // The guard only keeps a hang from stalling the suite; a process that ends is the assertion.
  const r = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `import { warmFitWorker } from ${JSON.stringify(module)}; warmFitWorker(); console.log("warm");`],
    {
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  assert.equal(r.signal, null, "the process was still running: the waiting worker held it open");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "warm");
});
