import { test } from "node:test";
import assert from "node:assert/strict";
import { fitInWorker } from "../../../src/models/fitInWorker.js";
import { createRandom } from "../../../src/models/random.js";
import type { Estimator, Task } from "../../../src/models/estimators.js";
import { ON_THREAD_CELLS, fitOnThread, fitsOnThread } from "../../../src/training/fitOnThread.js";

function data(rows: number, cols: number, task: Task) {
  const rand = createRandom(3);
  const X = Float64Array.from({ length: rows * cols }, () => rand() * 2 - 1);
  const y = Float64Array.from({ length: rows }, (_, i) => {
    const s = X[i * cols] - 0.5 * X[i * cols + 1] + 0.1 * rand();
    return task === "regression" ? s : s > 0 ? 1 : 0;
  });
  return { X: { data: X, rows, cols }, y };
}

test("a quick estimator fitted on the calling thread gives the model a worker gives, to the byte", async () => {
  const cases: [Estimator, Task, Record<string, unknown>][] = [
    ["linear_regression", "regression", {}],
    ["logistic_regression", "classification", {}],
    ["decision_tree", "classification", { max_depth: 4 }],
  ];
  for (const [estimator, task, hp] of cases) {
    const a = data(300, 4, task);
    const b = data(300, 4, task);
    const here = fitOnThread(estimator, task, a.X, a.y, task === "classification" ? 2 : 0, hp, 7);
    const there = await fitInWorker(estimator, task, b.X, b.y, task === "classification" ? 2 : 0, hp, 7);
    assert.equal(JSON.stringify(here.predictor.json), JSON.stringify(there.predictor.json), estimator);
    assert.deepEqual([here.budgetHit, here.interrupted], [false, false]);
  }
});

test("forests and boosting always go to a worker, which an interrupt can stop; small quick fits stay here", () => {
  assert.equal(fitsOnThread("linear_regression", 1461, 3), true);
  assert.equal(fitsOnThread("decision_tree", ON_THREAD_CELLS, 1), true);
  assert.equal(fitsOnThread("decision_tree", ON_THREAD_CELLS + 1, 1), false);
  assert.equal(fitsOnThread("random_forest", 10, 1), false);
  assert.equal(fitsOnThread("gradient_boosting", 10, 1), false);
});

test("on the calling thread an aborted signal still reports the fit as interrupted, and stopAfter ends a tree's growth as a deadline would", () => {
  const a = data(200, 3, "classification");
  const controller = new AbortController();
  controller.abort();
  const stopped = fitOnThread("decision_tree", "classification", a.X, a.y, 2, {}, 1, { signal: controller.signal });
  assert.equal(stopped.interrupted, true);
  assert.equal(stopped.budgetHit, false);
});
