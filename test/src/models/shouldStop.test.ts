import assert from "node:assert/strict";
import { test } from "node:test";
import { fitDecisionTree } from "../../../src/models/fitDecisionTree.js";
import { fitRandomForest } from "../../../src/models/fitRandomForest.js";
import { GradientBoosting } from "../../../src/models/GradientBoosting.js";
import { TreeEnsemble } from "../../../src/models/TreeEnsemble.js";
import { synthetic } from "./datasets.js";

/** false for the first `n` calls, true afterwards. */
function trueAfter(n: number): { fn: () => boolean; calls: () => number } {
  let calls = 0;
  return { fn: () => ++calls > n, calls: () => calls };
}

test("shouldStop ends a forest after the trees built so far; the model predicts and round-trips", () => {
  const ds = synthetic(2000, 5, "classification", 3);
  const stop = trueAfter(3);
  const forest = fitRandomForest(ds.X, ds.y, { task: "classification", nEstimators: 10, seed: 1, shouldStop: stop.fn });
  const json = forest.toJSON();
  assert.equal(json.trees.length, 3);
  assert.equal(json.stoppedEarly, true);
  assert.equal(stop.calls(), 4);
  // The same 3 trees as an uninterrupted 3-tree forest: stopping does not change what was built.
  const three = fitRandomForest(ds.X, ds.y, { task: "classification", nEstimators: 3, seed: 1 }).toJSON();
  assert.deepEqual(json.trees, three.trees);
  assert.equal(three.stoppedEarly, false);
  const reloaded = TreeEnsemble.fromJSON(JSON.parse(JSON.stringify(json)));
  assert.deepEqual(reloaded.toJSON(), json);
  assert.deepEqual(reloaded.predictProba(ds.X), forest.predictProba(ds.X));
  assert.deepEqual(forest.predict(ds.X), forest.predict(ds.X));
});

test("shouldStop true from the start still fits one tree / one boosting iteration", () => {
  const ds = synthetic(1000, 4, "regression", 4);
  const forest = fitRandomForest(ds.X, ds.y, { task: "regression", nEstimators: 5, shouldStop: () => true }).toJSON();
  assert.equal(forest.trees.length, 1);
  assert.equal(forest.stoppedEarly, true);
  const tree = fitDecisionTree(ds.X, ds.y, { task: "regression", maxDepth: 3, shouldStop: () => true }).toJSON();
  assert.equal(tree.trees.length, 1);
  assert.equal(tree.stoppedEarly, false);
  const gb = GradientBoosting.fit(ds.X, ds.y, { task: "regression", maxIter: 5, shouldStop: () => true }).toJSON();
  assert.equal(gb.nIter, 1);
  assert.equal(gb.trees.length, 1);
  assert.equal(gb.stoppedEarly, true);
});

test("shouldStop ends boosting after 3 iterations; the model predicts and round-trips", () => {
  for (const [task, classes] of [
    ["classification", 2],
    ["classification", 3],
    ["regression", 0],
  ] as const) {
    const ds = synthetic(3000, 5, task, 6, classes || undefined);
    const stop = trueAfter(3);
    const model = GradientBoosting.fit(ds.X, ds.y, { task, maxIter: 20, earlyStopping: false, seed: 2, shouldStop: stop.fn });
    const json = model.toJSON();
    const K = classes > 2 ? classes : 1;
    assert.equal(json.nIter, 3);
    assert.equal(json.trees.length, 3 * K);
    assert.equal(json.stoppedEarly, true);
    assert.equal(typeof (json.options as Record<string, unknown>).shouldStop, "undefined");
    const three = GradientBoosting.fit(ds.X, ds.y, { task, maxIter: 3, earlyStopping: false, seed: 2 });
    assert.deepEqual(three.toJSON().trees, json.trees);
    assert.equal(three.toJSON().stoppedEarly, false);
    assert.deepEqual(model.predict(ds.X), three.predict(ds.X));
    const reloaded = GradientBoosting.fromJSON(JSON.parse(JSON.stringify(json)));
    assert.deepEqual(reloaded.toJSON(), json);
    assert.deepEqual(reloaded.decisionFunction(ds.X), model.decisionFunction(ds.X));
  }
});
