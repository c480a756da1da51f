import assert from "node:assert/strict";
import { test } from "node:test";
import { applyBins, computeBinThresholds } from "../../../src/models/binFeatures.js";
import { fitDecisionTree } from "../../../src/models/fitDecisionTree.js";
import { fitRandomForest } from "../../../src/models/fitRandomForest.js";
import { TreeEnsemble, type TreeEnsembleJson } from "../../../src/models/TreeEnsemble.js";
import { fittedTree, treeToJson, type TreeJson } from "../../../src/models/treeModel.js";
import { growTree } from "../../../src/models/growTree.js";
import { createRandom } from "../../../src/models/random.js";
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

/** Row x's leaf value in a per-node JSON tree, walked as model.json describes it. */
function walk(t: TreeJson, x: ArrayLike<number>, nOut: number): number[] {
  let node = 0;
  while (t.feature[node] >= 0) node = x[t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
  return t.value.slice(node * nOut, node * nOut + nOut);
}

test("a saved tree in any node order loads, predicts as its JSON says, and saves in preorder with its values", () => {
  // Root splits feature 0 at 0.5; its right child (node 1) splits feature 1 at 2; nodes 2-4 are leaves.
  const shuffled: TreeJson = {
    feature: [0, 1, -1, -1, -1],
    threshold: [0.5, 2, 0, 0, 0],
    left: [3, 4, -1, -1, -1],
    right: [1, 2, -1, -1, -1],
    value: [0.625, 0.375, 0.25, 0.75, 0, 1, 1, 0, 0.5, 0.5],
    gain: [3, 1, 0, 0, 0],
    count: [8, 4, 2, 4, 2],
  };
  const json = {
    algorithm: "decision_tree",
    task: "classification",
    nFeatures: 2,
    nClasses: 2,
    options: {
      criterion: "gini",
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      maxFeatures: null,
      maxBins: 255,
      seed: 0,
      nEstimators: 1,
      bootstrap: false,
    },
    trees: [shuffled],
  } as const;
  const model = TreeEnsemble.fromJSON(structuredClone(json) as unknown as TreeEnsembleJson);
  const X = { data: new Float64Array([0, 0, 1, 1, 1, 3, 0.5, 9]), rows: 4, cols: 2 };
  const proba = model.predictProba(X);
  for (let i = 0; i < 4; i++) assert.deepEqual(Array.from(proba.subarray(i * 2, i * 2 + 2)), walk(shuffled, X.data.subarray(i * 2, i * 2 + 2), 2));
  const saved = model.toJSON().trees[0];
  // Preorder: root, its left leaf, its right split, then that split's left and right leaves.
  assert.deepEqual(saved.feature, [0, -1, 1, -1, -1]);
  assert.deepEqual(saved.left, [1, -1, 3, -1, -1]);
  assert.deepEqual(saved.right, [2, -1, 4, -1, -1]);
  // Internal class fractions follow from the leaves' class counts: node 1 holds (1, 1) + (0, 2)
  // of 4, the root that plus (4, 0), of 8: as stored.
  assert.deepEqual(saved.value, [0.625, 0.375, 1, 0, 0.25, 0.75, 0.5, 0.5, 0, 1]);
  assert.deepEqual(saved.count, [8, 4, 4, 2, 2]);
  assert.deepEqual(saved.gain, [3, 0, 1, 0, 0]);
});

test("a saved tree with a node reached twice, or never, is refused", () => {
  const base = { feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [1, 2, 3], gain: [1, 0, 0], count: [2, 1, 1] };
  const load = (t: TreeJson) =>
    TreeEnsemble.fromJSON({
      algorithm: "decision_tree",
      task: "regression",
      nFeatures: 1,
      nClasses: 0,
      options: {
        criterion: "squared_error",
        maxDepth: null,
        minSamplesSplit: 2,
        minSamplesLeaf: 1,
        maxFeatures: null,
        maxBins: 255,
        seed: 0,
        nEstimators: 1,
        bootstrap: false,
      },
      trees: [t],
    });
  assert.doesNotThrow(() => load(base));
  assert.throws(() => load({ ...base, right: [1, -1, -1] }), /node 1 is reached twice/);
  assert.throws(
    () =>
      load({
        ...base,
        feature: [0, -1, -1, -1],
        threshold: [1, 0, 0, 0],
        left: [1, -1, -1, -1],
        right: [2, -1, -1, -1],
        value: [1, 2, 3, 4],
        gain: [1, 0, 0, 0],
        count: [2, 1, 1, 1],
      }),
    /not reached from the root/,
  );
  // A child index that is not a whole number would point back at the root: prediction would never end.
  assert.throws(() => load({ ...base, left: [1.5, -1, -1] }), /node 0 has a bad feature or child index/);
  assert.throws(() => load({ ...base, feature: [0.5, -1, -1] }), /node 0 has a bad feature/);
  assert.throws(() => load({ ...base, feature: [0, -2, -1] }), /node 1 has a bad feature/);
  assert.throws(() => load({ ...base, threshold: [Infinity, 0, 0] }), /node 0 has a threshold, gain or count that is not a finite number/);
  assert.throws(() => load({ ...base, value: [1, NaN, 3] }), /node 1 has a value that is not a finite number/);
});

test("a class tree's internal values, derived from its leaves when saved, equal the ones the fit computed, bit for bit", () => {
  const ds = synthetic(2000, 4, "classification", 5);
  const binned = applyBins(ds.X, computeBinThresholds(ds.X, 255, 0));
  const y = Int32Array.from(ds.y);
  const nClasses = Math.max(...y) + 1;
  const rand = createRandom(3);
  // Bootstrap rows (repeats counted), √p features per split: a random forest's tree.
  const samples = Uint32Array.from({ length: ds.X.rows }, () => Math.floor(rand() * ds.X.rows));
  const grown = growTree(
    binned,
    samples,
    { kind: "class", y, nClasses, criterion: "gini" },
    { maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 2, maxLeafNodes: Infinity, rand },
  );
  const stored = treeToJson(fittedTree(grown, { nOut: nClasses, classFractions: false }));
  const derived = treeToJson(fittedTree(grown, { nOut: nClasses, classFractions: true }));
  assert.ok(stored.feature.filter((f) => f >= 0).length > 50, "a tree with many internal nodes");
  assert.deepEqual(derived, stored);
});
