import type { TreeJson } from "../../models/treeModel.js";
import type { GraphBuilder } from "./GraphBuilder.js";
import { notExportable } from "./notExportable.js";

/**
 * Most nodes (internal and leaves, over every tree and class copy) one TreeEnsemble node holds:
 * about 30 bytes each in the file, so at most ~500 MB, well inside protobuf's 2 GiB limit on a
 * whole model, and what the export holds in memory while writing stays bounded.
 */
export const MAX_ENSEMBLE_NODES = 2 ** 24;

/** One tree of the ONNX ensemble: a tree of model.json read at value offset `column` (of `nOut` per node), its leaves times `scale`, added to output `target`. */
export interface EnsembleTree {
  tree: TreeJson;
  nOut: number;
  column: number;
  scale: number;
  target: number;
}

/**
 * Adds one ai.onnx.ml TreeEnsemble node (opset 5, double splits and leaf weights) summing `trees`
 * into `targets` outputs, [N, targets] doubles, and returns its name. Every split is BRANCH_LEQ
 * with the true branch left: dw's rule, `x[feature] <= threshold` goes left, on the same doubles.
 * A leaf's weight is `scale × value`, the product dw adds (addTreePrediction); a constant `start`
 * per target is a one-leaf tree placed first, so each output sums in dw's order, from 0: the
 * start (boosting's baseline), then the trees in model order. More than MAX_ENSEMBLE_NODES
 * nodes in all is refused.
 */
export function treeEnsembleGraph(
  b: GraphBuilder,
  X: string,
  trees: EnsembleTree[],
  targets: number,
  options: { start?: readonly number[]; output?: string } = {},
): string {
  const total = trees.reduce((sum, t) => sum + t.tree.feature.length, 0);
  if (total > MAX_ENSEMBLE_NODES) {
    throw notExportable(
      `its trees have ${total} nodes in ONNX (a classifier's trees once per class), more than the ${MAX_ENSEMBLE_NODES} one file holds`,
      { unsupported: "size", nodes: total, max_nodes: MAX_ENSEMBLE_NODES },
      "Retrain with fewer trees (n_estimators, max_iter) or smaller ones (max_depth, min_samples_leaf), then export that version.",
    );
  }
  const a = {
    featureIds: [] as number[],
    splits: [] as number[],
    trueIds: [] as number[],
    trueLeafs: [] as number[],
    falseIds: [] as number[],
    falseLeafs: [] as number[],
    roots: [] as number[],
    leafTargets: [] as number[],
    leafWeights: [] as number[],
  };
  // A tree that is one leaf: one node whose both branches are that leaf.
  const constantTree = (target: number, weight: number) => {
    a.roots.push(a.featureIds.length);
    a.featureIds.push(0);
    a.splits.push(0);
    a.trueIds.push(a.leafWeights.length);
    a.falseIds.push(a.leafWeights.length);
    a.trueLeafs.push(1);
    a.falseLeafs.push(1);
    a.leafTargets.push(target);
    a.leafWeights.push(weight);
  };
  for (const [k, s] of (options.start ?? []).entries()) constantTree(k, s);
  for (const t of trees) {
    const { feature, threshold, left, right, value } = t.tree;
    const leafWeight = (i: number) => t.scale * value[i * t.nOut + t.column];
    if (feature[0] < 0) {
      constantTree(t.target, leafWeight(0));
      continue;
    }
    // Positions in nodes_* (internal nodes) or leaf_* (leaves) of each node of the tree, in its order.
    const at = new Array<number>(feature.length);
    let nodes = a.featureIds.length;
    let leaves = a.leafWeights.length;
    for (let i = 0; i < feature.length; i++) at[i] = feature[i] >= 0 ? nodes++ : leaves++;
    a.roots.push(at[0]);
    for (let i = 0; i < feature.length; i++) {
      if (feature[i] < 0) {
        a.leafTargets.push(t.target);
        a.leafWeights.push(leafWeight(i));
        continue;
      }
      a.featureIds.push(feature[i]);
      a.splits.push(threshold[i]);
      a.trueIds.push(at[left[i]]);
      a.trueLeafs.push(feature[left[i]] < 0 ? 1 : 0);
      a.falseIds.push(at[right[i]]);
      a.falseLeafs.push(feature[right[i]] < 0 ? 1 : 0);
    }
  }
  const n = a.featureIds.length;
  return b.node("TreeEnsemble", [X], {
    ...(options.output ? { output: options.output } : { hint: "trees" }),
    domain: "ai.onnx.ml",
    attributes: [
      { name: "n_targets", kind: "int", value: targets },
      { name: "aggregate_function", kind: "int", value: 1 }, // SUM
      { name: "post_transform", kind: "int", value: 0 }, // NONE
      { name: "tree_roots", kind: "ints", value: a.roots },
      { name: "nodes_featureids", kind: "ints", value: a.featureIds },
      { name: "nodes_splits", kind: "tensor", value: { type: "double", dims: [n], values: a.splits } },
      { name: "nodes_modes", kind: "tensor", value: { type: "uint8", dims: [n], values: new Uint8Array(n) } }, // BRANCH_LEQ
      { name: "nodes_truenodeids", kind: "ints", value: a.trueIds },
      { name: "nodes_trueleafs", kind: "ints", value: a.trueLeafs },
      { name: "nodes_falsenodeids", kind: "ints", value: a.falseIds },
      { name: "nodes_falseleafs", kind: "ints", value: a.falseLeafs },
      { name: "leaf_targetids", kind: "ints", value: a.leafTargets },
      { name: "leaf_weights", kind: "tensor", value: { type: "double", dims: [a.leafWeights.length], values: a.leafWeights } },
    ],
  });
}
