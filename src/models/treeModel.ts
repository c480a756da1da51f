import { z } from "zod";
import type { FeatureMatrix } from "./FeatureMatrix.js";
import { NumberArray, type FieldIssue } from "./fittedJson.js";
import type { GrownTree } from "./growTree.js";
import { MODEL_JSON_LIMITS as LIMITS } from "./modelJsonLimits.js";

/**
 * One fitted tree in `model.json`: parallel arrays indexed by node, node 0 the root. A leaf has
 * feature −1 (and left = right = −1). Row x goes left when `x[feature] <= threshold`. `value`
 * holds nOut numbers per node (class fractions, a mean, or a boosting leaf value already
 * multiplied by the learning rate). `gain` is the split's gain (0 on leaves) and `count` the
 * training samples that reached the node, for importances and explanations. The schema checks
 * the shape; what the numbers must be depends on the ensemble (feature count, values per node),
 * so `treesIssue` checks them, node by node, from the ensemble's schema.
 */
export const TreeJson = z.object({
  feature: NumberArray,
  threshold: NumberArray,
  left: NumberArray,
  right: NumberArray,
  value: NumberArray,
  gain: NumberArray,
  count: NumberArray,
});
export type TreeJson = z.infer<typeof TreeJson>;

/**
 * A fitted tree as models hold it in memory: internal nodes and leaves in separate typed arrays,
 * each numbered in preorder. A leaf needs no feature, threshold, children or gain, and prediction
 * needs no internal node's value, so a binary classifier's node costs 26 bytes on average where
 * parallel arrays over all nodes (TreeJson's layout) take 48, and scikit-learn's node records 80.
 * A child reference c ≥ 0 is internal node c; c < 0 is leaf ~c.
 */
export interface CompiledTree {
  nOut: number;
  /** 0 (internal node 0), or −1 (leaf 0) when the tree is a single leaf. */
  root: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  gain: Float64Array;
  count: Int32Array;
  /**
   * Internal nodes' values (nOut each); null for class-fraction trees, whose internal values
   * follow exactly from the leaves: class counts (fraction × count) add up, then divide.
   */
  internalValue: Float64Array | null;
  leafValue: Float64Array;
  leafCount: Int32Array;
}

/** Per-node parallel arrays, as growTree grows them and TreeJson stores them. */
interface NodeArrays {
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  value: ArrayLike<number>;
  gain: ArrayLike<number>;
  count: ArrayLike<number>;
}

export interface TreeKind {
  nOut: number;
  /** Values are class fractions (counts ÷ node count): internal ones are derived, not stored. */
  classFractions: boolean;
}

/** A grown tree as a fitted one; `valueScale` multiplies every value (boosting's learning rate). */
export function fittedTree(t: GrownTree, kind: TreeKind, valueScale = 1): CompiledTree {
  return compact(t, kind, valueScale);
}

/**
 * The first problem in an ensemble's trees, or undefined: array lengths, whole-number feature
 * and child indices in range with children after their node (so a walk down a tree always ends),
 * finite numbers, and every node reached from the root exactly once. One pass over each tree:
 * with children after their parent, a tree is whole exactly when every node but the root is named
 * as a child by exactly one split, and every path from the root visits each node at most once, so
 * it is shorter than the node count: scoring a row ends after at most that many steps per tree.
 * At most MODEL_JSON_LIMITS.maxTrees trees of maxNodesPerTree nodes. The path starts at the
 * tree's index in `trees`; with an empty path, the issue is with the list itself.
 */
export function treesIssue(trees: readonly TreeJson[], nFeatures: number, nOut: number): FieldIssue | undefined {
  if (trees.length > LIMITS.maxTrees) return { path: [], message: `more than ${LIMITS.maxTrees} trees` };
  for (let t = 0; t < trees.length; t++) {
    const issue = treeIssue(trees[t], nFeatures, nOut);
    if (issue) return { path: [t, ...issue.path], message: issue.message };
  }
  return undefined;
}

function treeIssue(t: TreeJson, nFeatures: number, nOut: number): FieldIssue | undefined {
  const nodes = t.feature.length;
  if (nodes === 0) return { path: ["feature"], message: "a tree needs at least one node" };
  if (nodes > LIMITS.maxNodesPerTree) return { path: ["feature"], message: `more than ${LIMITS.maxNodesPerTree} nodes` };
  for (const field of ["threshold", "left", "right", "gain", "count"] as const) {
    if (t[field].length !== nodes) return { path: [field], message: `expected ${nodes} entries, one per node as in feature, got ${t[field].length}` };
  }
  if (t.value.length !== nodes * nOut) return { path: ["value"], message: `expected ${nodes * nOut} entries, ${nOut} per node, got ${t.value.length}` };
  const { feature, threshold, left, right, value, gain, count } = t;
  const whole = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x < hi;
  const badIndex = (i: number) => `node ${i} has a bad feature or child index`;
  const notFinite = (i: number) => `node ${i} has a threshold, gain or count that is not a finite number`;
  // How many splits name each node as a child; above 1 means a node is reached twice.
  const named = new Uint8Array(nodes);
  for (let i = 0; i < nodes; i++) {
    const f = feature[i];
    const l = left[i];
    const r = right[i];
    if (f === -1) {
      if (l !== -1 || r !== -1) return { path: [l !== -1 ? "left" : "right", i], message: `${badIndex(i)}: a leaf (feature −1) has no children, expected −1` };
    } else {
      if (!whole(f, 0, nFeatures)) return { path: ["feature", i], message: `${badIndex(i)}: expected −1 (a leaf) or a matrix column 0..${nFeatures - 1}` };
      const after = `${badIndex(i)}: expected a node after it, ${i + 1}..${nodes - 1}`;
      if (!whole(l, i + 1, nodes)) return { path: ["left", i], message: after };
      if (!whole(r, i + 1, nodes)) return { path: ["right", i], message: after };
      if (++named[l] > 1) return { path: ["left", i], message: `node ${l} is reached twice` };
      if (++named[r] > 1) return { path: ["right", i], message: `node ${r} is reached twice` };
    }
    if (!Number.isFinite(threshold[i])) return { path: ["threshold", i], message: notFinite(i) };
    if (!Number.isFinite(gain[i])) return { path: ["gain", i], message: notFinite(i) };
    if (!whole(count[i], 0, 2 ** 31)) return { path: ["count", i], message: `node ${i} has a count that is not a whole number 0..2^31−1` };
    for (let k = i * nOut; k < (i + 1) * nOut; k++) {
      if (!Number.isFinite(value[k])) return { path: ["value", k], message: `node ${i} has a value that is not a finite number` };
    }
  }
  for (let i = 1; i < nodes; i++) if (named[i] === 0) return { path: [], message: `node ${i} is not reached from the root (no split names it as a child)` };
  return undefined;
}

/** A tree from `model.json` that its ensemble's schema has checked (see treesIssue), compacted. */
export function compileTree(t: TreeJson, kind: TreeKind): CompiledTree {
  return compact(t, kind, 1);
}

/**
 * Numbers the internal nodes and the leaves in preorder (children after their parent, left
 * subtree first) and copies them into separate arrays. Nodes not reached from the root are left
 * out; a node reached twice would be a bug in the grower (a read tree is checked before).
 */
function compact(t: NodeArrays, kind: TreeKind, valueScale: number): CompiledTree {
  const nodes = t.feature.length;
  const { nOut } = kind;
  const ref = new Int32Array(nodes);
  const seen = new Uint8Array(nodes);
  let nInternal = 0;
  let nLeaves = 0;
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen[i]) throw new TypeError(`tree JSON: node ${i} is reached twice`);
    seen[i] = 1;
    if (t.feature[i] >= 0) {
      ref[i] = nInternal++;
      stack.push(t.right[i], t.left[i]);
    } else ref[i] = ~nLeaves++;
  }
  const out: CompiledTree = {
    nOut,
    root: ref[0],
    feature: new Int32Array(nInternal),
    threshold: new Float64Array(nInternal),
    left: new Int32Array(nInternal),
    right: new Int32Array(nInternal),
    gain: new Float64Array(nInternal),
    count: new Int32Array(nInternal),
    internalValue: kind.classFractions ? null : new Float64Array(nInternal * nOut),
    leafValue: new Float64Array(nLeaves * nOut),
    leafCount: new Int32Array(nLeaves),
  };
  for (let i = 0; i < nodes; i++) {
    if (!seen[i]) continue;
    const r = ref[i];
    if (r >= 0) {
      out.feature[r] = t.feature[i];
      out.threshold[r] = t.threshold[i];
      out.left[r] = ref[t.left[i]];
      out.right[r] = ref[t.right[i]];
      out.gain[r] = t.gain[i];
      out.count[r] = t.count[i];
      if (out.internalValue) for (let k = 0; k < nOut; k++) out.internalValue[r * nOut + k] = t.value[i * nOut + k] * valueScale;
    } else {
      const l = ~r;
      for (let k = 0; k < nOut; k++) out.leafValue[l * nOut + k] = t.value[i * nOut + k] * valueScale;
      out.leafCount[l] = t.count[i];
    }
  }
  return out;
}

/** The tree as plain per-node arrays for `model.json`, nodes in preorder. */
export function treeToJson(t: CompiledTree): TreeJson {
  const { nOut } = t;
  const internalValue = t.internalValue ?? derivedInternalValues(t);
  const nodes = t.feature.length + t.leafCount.length;
  const json: TreeJson = { feature: [], threshold: [], left: [], right: [], value: [], gain: [], count: [] };
  // Preorder: each node is written when popped; its parent's child index is filled in then.
  const stack: [ref: number, parent: number, side: "left" | "right" | null][] = [[t.root, -1, null]];
  while (stack.length > 0) {
    const [r, parent, side] = stack.pop()!;
    const at = json.feature.length;
    if (side) json[side][parent] = at;
    if (r >= 0) {
      json.feature.push(t.feature[r]);
      json.threshold.push(t.threshold[r]);
      json.left.push(-1);
      json.right.push(-1);
      for (let k = 0; k < nOut; k++) json.value.push(internalValue[r * nOut + k]);
      json.gain.push(t.gain[r]);
      json.count.push(t.count[r]);
      stack.push([t.right[r], at, "right"], [t.left[r], at, "left"]);
    } else {
      const l = ~r;
      json.feature.push(-1);
      json.threshold.push(0);
      json.left.push(-1);
      json.right.push(-1);
      for (let k = 0; k < nOut; k++) json.value.push(t.leafValue[l * nOut + k]);
      json.gain.push(0);
      json.count.push(t.leafCount[l]);
    }
  }
  if (json.feature.length !== nodes) throw new Error("treeToJson: the tree's node references are inconsistent");
  return json;
}

/**
 * Internal values of a class-fraction tree: each node's class counts are the sums of its
 * children's (a leaf's are its fractions × its count, rounded: exact integers), divided by its
 * count, the same division the fit made, so the result is equal bit for bit.
 */
function derivedInternalValues(t: CompiledTree): Float64Array {
  const { nOut } = t;
  const nInternal = t.feature.length;
  const counts = new Float64Array(nInternal * nOut);
  const add = (r: number, child: number) => {
    for (let k = 0; k < nOut; k++) {
      counts[r * nOut + k] += child >= 0 ? counts[child * nOut + k] : Math.round(t.leafValue[~child * nOut + k] * t.leafCount[~child]);
    }
  };
  // Preorder numbering puts children after parents: walk backwards to see children first.
  for (let r = nInternal - 1; r >= 0; r--) {
    add(r, t.left[r]);
    add(r, t.right[r]);
  }
  const value = new Float64Array(nInternal * nOut);
  for (let r = 0; r < nInternal; r++) for (let k = 0; k < nOut; k++) value[r * nOut + k] = counts[r * nOut + k] / t.count[r];
  return value;
}

/** Bytes a fitted tree's arrays hold. */
export function treeBytes(t: CompiledTree): number {
  const arrays = [t.feature, t.threshold, t.left, t.right, t.gain, t.count, t.internalValue, t.leafValue, t.leafCount];
  return arrays.reduce((s, a) => s + (a?.byteLength ?? 0), 0);
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
  const { feature, threshold, left, right, leafValue, root } = tree;
  for (let i = 0; i < n; i++) {
    let node = root;
    const row = i * p;
    while (node >= 0) node = data[row + feature[node]] <= threshold[node] ? left[node] : right[node];
    const o = i * outWidth + outCol;
    const v = ~node * nOut;
    for (let k = 0; k < nOut; k++) out[o + k] += scale * leafValue[v + k];
  }
}
