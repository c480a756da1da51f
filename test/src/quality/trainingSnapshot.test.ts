import { test } from "node:test";
import assert from "node:assert/strict";
import type { Dataset } from "../../../src/data/Dataset.js";
import { quantileSorted } from "../../../src/data/statistics.js";
import { SNAPSHOT_QUANTILES, buildTrainingSnapshot } from "../../../src/quality/trainingSnapshot.js";

/** The snapshot of a number column by its definition: the built-in sort, deciles, a count of the values below each edge. */
function bySorting(values: Float64Array) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const n = sorted.length;
  const edges = n === 0 ? [] : [...new Set(SNAPSHOT_QUANTILES.map((q) => quantileSorted(sorted, q)))];
  const bins: number[] = [];
  let before = 0;
  for (const e of edges) {
    const upTo = sorted.filter((v) => v < e).length;
    bins.push(upTo - before);
    before = upTo;
  }
  bins.push(n - before);
  return { count: n, nulls: values.length - n, min: n ? sorted[0] : null, max: n ? sorted[n - 1] : null, edges, bin_counts: bins };
}

test("a number column's snapshot (radix-sorted deciles, binary-searched bins) is the one the built-in sort and counting give, value for value and sign for sign", () => {
  let seed = 5;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = (xs: number[]) => xs[Math.floor(rand() * xs.length)];
  const columns: Float64Array[] = [
    new Float64Array(0),
    Float64Array.of(NaN, NaN),
    Float64Array.of(-0),
    Float64Array.of(0, -0, 0),
    Float64Array.of(Infinity, Infinity),
  ];
  for (const n of [1, 2, 9, 10, 11, 100, 5000, 40_000]) {
    columns.push(Float64Array.from({ length: n }, () => rand() * 10 - 5));
    columns.push(Float64Array.from({ length: n }, () => pick([-0, 0, NaN, 1, 2, -Infinity, Infinity])));
    columns.push(Float64Array.from({ length: n }, () => Math.floor(rand() * 3)));
    columns.push(Float64Array.from({ length: n }, (_, i) => n - i));
  }
  for (const values of columns) {
    const ds: Dataset = { rows: values.length, columns: [{ name: "x", type: "number", values, nulls: 0 }] };
    const [got] = buildTrainingSnapshot(ds, ["x"]).columns;
    const want = bySorting(values);
    assert.equal(got.type, "number");
    if (got.type !== "number") continue;
    assert.deepEqual({ ...got, name: undefined, type: undefined }, { ...want, name: undefined, type: undefined }, `n ${values.length}`);
    assert.ok(Object.is(got.min, want.min) && Object.is(got.max, want.max), `range of n ${values.length}: ${got.min}..${got.max}`);
    got.edges.forEach((e, i) => assert.ok(Object.is(e, want.edges[i])));
  }
});
