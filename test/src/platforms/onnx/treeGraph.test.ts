import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphBuilder } from "../../../../src/platforms/onnx/GraphBuilder.js";
import { MAX_ENSEMBLE_NODES, treeEnsembleGraph } from "../../../../src/platforms/onnx/treeGraph.js";
import { ProtoWriter } from "../../../../src/platforms/onnx/ProtoWriter.js";
import { DwError } from "../../../../src/errors/DwError.js";
import type { TreeJson } from "../../../../src/models/treeModel.js";

/** A full binary tree of depth `depth` on feature 0, nodes in preorder. */
function fullTree(depth: number): TreeJson {
  const t: TreeJson = { feature: [], threshold: [], left: [], right: [], value: [], gain: [], count: [] };
  const grow = (d: number): number => {
    const i = t.feature.length;
    t.feature.push(d === depth ? -1 : 0);
    t.threshold.push(d);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(i);
    t.gain.push(0);
    t.count.push(1);
    if (d < depth) {
      t.left[i] = grow(d + 1);
      t.right[i] = grow(d + 1);
    }
    return i;
  };
  grow(0);
  return t;
}

test("a tree ensemble larger than one ONNX file holds is refused before anything is built, naming its size", () => {
  const tree = fullTree(9); // 1,023 nodes
  const copies = Math.ceil(MAX_ENSEMBLE_NODES / tree.feature.length) + 1;
  const b = new GraphBuilder(["x"]);
  assert.throws(
    () =>
      treeEnsembleGraph(
        b,
        "x",
        Array.from({ length: copies }, () => ({ tree, nOut: 1, column: 0, scale: 1, target: 0 })),
        1,
      ),
    (e: unknown) => {
      assert.ok(e instanceof DwError);
      assert.equal(e.code, "INVALID_INPUT");
      assert.match(e.message, new RegExp(`trees have ${copies * 1023} nodes in ONNX`));
      assert.equal(e.details?.unsupported, "size");
      assert.match(e.hint ?? "", /fewer trees/);
      return true;
    },
  );
  assert.equal(b.nodes.length, 0);
});

test("the ensemble's leaves and internal nodes are numbered apart, each branch saying which it names", () => {
  const b = new GraphBuilder(["x"]);
  treeEnsembleGraph(b, "x", [{ tree: fullTree(2), nOut: 1, column: 0, scale: 0.5, target: 0 }], 1, { start: [10] });
  const attrs = Object.fromEntries((b.nodes[0].attributes ?? []).map((a) => [a.name, a.value]));
  // The start is a one-leaf tree first: node 0 with both branches leaf 0 (weight 10).
  assert.deepEqual(Array.from(attrs.tree_roots as number[]), [0, 1]);
  assert.deepEqual(Array.from(attrs.nodes_truenodeids as number[]), [0, 2, 1, 3]);
  assert.deepEqual(Array.from(attrs.nodes_trueleafs as number[]), [1, 0, 1, 1]);
  assert.deepEqual(Array.from(attrs.nodes_falsenodeids as number[]), [0, 3, 2, 4]);
  assert.deepEqual(Array.from(attrs.nodes_falseleafs as number[]), [1, 0, 1, 1]);
  // Leaves of the tree (preorder nodes 2, 3, 5, 6) weigh 0.5 × their value.
  assert.deepEqual((attrs.leaf_weights as unknown as { values: number[] }).values, [10, 1, 1.5, 2.5, 3]);
});

test("varints are written as protobuf writes them, negative numbers as ten bytes of two's complement", () => {
  assert.deepEqual(Array.from(new ProtoWriter().int64(1, 300).finish()), [0x08, 0xac, 0x02]);
  assert.deepEqual(Array.from(new ProtoWriter().int64(2, -1).finish()), [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.deepEqual(Array.from(new ProtoWriter().int64(1, 2 ** 40).finish()), [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
  assert.deepEqual(Array.from(new ProtoWriter().string(4, "é").finish()), [0x22, 0x02, 0xc3, 0xa9]);
  assert.throws(() => new ProtoWriter().int64(1, 2 ** 53), RangeError);
});
