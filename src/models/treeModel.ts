import type { FeatureMatrix } from "./FeatureMatrix.js";
import type { GrownTree } from "./growTree.js";

/**
 * One fitted tree in `model.json`: parallel arrays indexed by node, node 0 the root. A leaf has
 * feature −1 (and left = right = −1). Row x goes left when `x[feature] <= threshold`. `value`
 * holds nOut numbers per node (class fractions, a mean, or a boosting leaf value already
 * multiplied by the learning rate). `gain` is the split's gain (0 on leaves) and `count` the
 * training samples that reached the node, for importances and explanations.
 */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
  count: number[];
}

/** A fitted tree in typed arrays, as models hold it: the fields of TreeJson, one element per node. */
export interface CompiledTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  gain: Float64Array;
  count: Int32Array;
}

/**
 * The grown tree's arrays as a fitted tree, without copies (growTree hands over arrays of the
 * exact node count). `valueScale` multiplies the values in place (boosting's learning rate).
 */
export function fittedTree(t: GrownTree, valueScale = 1): CompiledTree {
  const { feature, threshold, left, right, value, gain, count } = t;
  if (valueScale !== 1) for (let i = 0; i < value.length; i++) value[i] *= valueScale;
  return { feature, threshold, left, right, value, gain, count };
}

/** The tree as plain arrays for `model.json`. */
export function treeToJson(t: CompiledTree): TreeJson {
  return {
    feature: Array.from(t.feature),
    threshold: Array.from(t.threshold),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
    gain: Array.from(t.gain),
    count: Array.from(t.count),
  };
}

/** A tree read from `model.json`, checked (array lengths, child order, feature range) and put in typed arrays. */
export function compileTree(t: TreeJson, nOut: number, nFeatures: number): CompiledTree {
  const nodes = t.feature.length;
  if ([t.threshold, t.left, t.right, t.gain, t.count].some((a) => a.length !== nodes) || t.value.length !== nodes * nOut) {
    throw new TypeError("tree JSON: feature, threshold, left, right, value, gain and count lengths do not agree");
  }
  for (let i = 0; i < nodes; i++) {
    const f = t.feature[i];
    if (f >= 0 && (f >= nFeatures || !(t.left[i] > i && t.left[i] < nodes && t.right[i] > i && t.right[i] < nodes))) {
      throw new TypeError(`tree JSON: node ${i} has a bad feature or child index`);
    }
  }
  return {
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value),
    gain: Float64Array.from(t.gain),
    count: Int32Array.from(t.count),
  };
}

/** Bytes a fitted tree's arrays hold. */
export function treeBytes(t: CompiledTree): number {
  return t.feature.byteLength + t.threshold.byteLength + t.left.byteLength + t.right.byteLength + t.value.byteLength + t.gain.byteLength + t.count.byteLength;
}

/** out[i·nOut + k] += scale · value of row i's leaf (k < nOut), at column offset `outCol` of an out row of width `outWidth`. */
export function addTreePrediction(
  tree: CompiledTree,
  X: FeatureMatrix,
  nOut: number,
  out: Float64Array,
  outWidth: number,
  outCol: number,
  scale: number,
): void {
  const { rows: n, cols: p, data } = X;
  const { feature, threshold, left, right, value } = tree;
  for (let i = 0; i < n; i++) {
    let node = 0;
    let f = feature[0];
    const row = i * p;
    while (f >= 0) {
      node = data[row + f] <= threshold[node] ? left[node] : right[node];
      f = feature[node];
    }
    const o = i * outWidth + outCol;
    const v = node * nOut;
    for (let k = 0; k < nOut; k++) out[o + k] += scale * value[v + k];
  }
}
