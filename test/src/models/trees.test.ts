import assert from "node:assert/strict";
import { test } from "node:test";
import { applyBins, computeBinThresholds } from "../../../src/models/binFeatures.js";
import { fitDecisionTree } from "../../../src/models/fitDecisionTree.js";
import { fitRandomForest } from "../../../src/models/fitRandomForest.js";
import { synthetic } from "./datasets.js";

test("bins: a value is in bin b exactly when it is ≤ threshold b and above threshold b−1", () => {
  const ds = synthetic(5000, 3, "regression", 4);
  const th = computeBinThresholds(ds.X, 255, 0);
  const b = applyBins(ds.X, th);
  for (let f = 0; f < 3; f++) {
    assert.ok(b.nBins[f] <= 255 && b.nBins[f] > 200);
    for (let i = 0; i < ds.X.rows; i++) {
      const x = ds.X.data[i * 3 + f];
      const bin = b.bins[f * ds.X.rows + i];
      if (bin < th[f].length) assert.ok(x <= th[f][bin]);
      if (bin > 0) assert.ok(x > th[f][bin - 1]);
    }
  }
});

test("bins: few distinct values give midpoints between them", () => {
  const X = { data: new Float64Array([3, 1, 2, 2, 1]), rows: 5, cols: 1 };
  assert.deepEqual(Array.from(computeBinThresholds(X)[0]), [1.5, 2.5]);
});

test("a tree learns XOR, which a greedy gain threshold would refuse", () => {
  const data = new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]);
  const X = { data, rows: 4, cols: 2 };
  const y = [0, 1, 1, 0];
  assert.deepEqual(Array.from(fitDecisionTree(X, y, { task: "classification" }).predict(X)), y);
});

test("forests are deterministic given the seed and differ across seeds", () => {
  const ds = synthetic(3000, 6, "classification", 9);
  const a = fitRandomForest(ds.X, ds.y, { task: "classification", nEstimators: 5, seed: 7 }).toJSON();
  const b = fitRandomForest(ds.X, ds.y, { task: "classification", nEstimators: 5, seed: 7 }).toJSON();
  const c = fitRandomForest(ds.X, ds.y, { task: "classification", nEstimators: 5, seed: 8 }).toJSON();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.trees, c.trees);
});

test("trees respect maxDepth and minSamplesLeaf", () => {
  const ds = synthetic(4000, 5, "regression", 2);
  const tree = fitDecisionTree(ds.X, ds.y, { task: "regression", maxDepth: 4, minSamplesLeaf: 50 }).toJSON().trees[0];
  const depth = (node: number): number => (tree.feature[node] < 0 ? 0 : 1 + Math.max(depth(tree.left[node]), depth(tree.right[node])));
  assert.ok(depth(0) <= 4);
  for (let i = 0; i < tree.feature.length; i++) if (tree.feature[i] < 0) assert.ok(tree.count[i] >= 50);
});

test("trees reject NaN features and a bad criterion with a clear message", () => {
  const X = { data: new Float64Array([1, NaN]), rows: 2, cols: 1 };
  assert.throws(() => fitDecisionTree(X, [0, 1], { task: "classification" }), /row 1, feature 0 is NaN/);
  const ok = { data: new Float64Array([1, 2]), rows: 2, cols: 1 };
  assert.throws(() => fitDecisionTree(ok, [0, 1], { task: "regression", criterion: "gini" }), /criterion "gini"/);
});
