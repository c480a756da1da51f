import { test } from "node:test";
import assert from "node:assert/strict";
import { columnOrderStats, rowGroups } from "../../../src/gates/columnOrderStats.js";
import { createRandom } from "../../../src/models/random.js";
import { featureStats } from "../../../src/models/featureStats.js";
import { medianBySelection } from "../../../src/data/statistics.js";
import { describeNumbers } from "../../../src/monitoring/reference/describeNumbers.js";
import { buildTrainingSnapshot } from "../../../src/quality/trainingSnapshot.js";

/** Deep equality that tells −0 from +0 and NaN from NaN alike: stored bytes differ on a zero's sign. */
function assertSameBits(got: unknown, want: unknown, where: string): void {
  if (typeof want === "number") {
    assert.ok(typeof got === "number" && Object.is(got, want), `${where}: ${String(got)} vs ${want}`);
    return;
  }
  if (want === null || typeof want !== "object") {
    assert.equal(got, want, where);
    return;
  }
  assert.ok(got !== null && typeof got === "object", `${where}: not an object`);
  assert.deepEqual(Object.keys(got as object), Object.keys(want), `${where}: keys in the same order`);
  for (const [k, v] of Object.entries(want)) assertSameBits((got as Record<string, unknown>)[k], v, `${where}.${k}`);
}

// Each part by its definition, from the column alone: the built-in sort of the rows it describes.
const onLabels = (values: Float64Array, labels: Uint8Array, from: number) => values.filter((_, i) => labels[i] >= from);
const byBuiltInSort = (values: Float64Array) => values.filter((v) => Number.isFinite(v)).sort();

test("one sort of each group of rows gives the snapshot, the drift reference, the reference stats and the imputer's median each builder computes alone, bit for bit", () => {
  const rand = createRandom(3);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const columns: Float64Array[] = [];
  // Short columns take the built-in sort, long ones (from 32,768 values) the radix sort.
  for (const n of [0, 1, 7, 300, 40_000]) {
    columns.push(Float64Array.from({ length: n }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 6)));
    columns.push(Float64Array.from({ length: n }, () => pick([-0, 0, NaN, 1, -1, 2.5, Infinity, -Infinity])));
    columns.push(Float64Array.from({ length: n }, () => (rand() < 0.2 ? NaN : Math.floor(rand() * 5) - 2)));
  }
  columns.push(Float64Array.from({ length: 40_000 }, () => 0));
  for (const values of columns) {
    const n = values.length;
    // Each row: no target (0), held out (1) or fitted on (2); also every row fitted on, and none missing.
    for (const labelOf of [() => pick([0, 1, 1, 2, 2, 2, 2]), () => 2, () => pick([1, 2, 2, 2])]) {
      const labels = Uint8Array.from({ length: n }, labelOf);
      const counts: [number, number, number] = [0, 0, 0];
      for (const l of labels) counts[l]++;
      const got = columnOrderStats("x", values, { labels, counts });
      const where = `n ${n}, counts ${counts}`;
      const ds = { rows: n, columns: [{ name: "x", type: "number" as const, values, nulls: 0 }] };
      const [snapshot] = buildTrainingSnapshot(ds, ["x"]).columns;
      assertSameBits({ name: "x", type: "number", ...got.snapshot }, snapshot, `${where} snapshot`);
      const withTarget = onLabels(values, labels, 1);
      assertSameBits(got.drift, describeNumbers("x", byBuiltInSort(withTarget), withTarget.length), `${where} drift`);
      assertSameBits(got.stats, featureStats(onLabels(values, labels, 2)), `${where} stats`);
      // The imputer's median of the fitted rows' values, as fitPipeline finds it by selection of the present ones (a zero's sign included).
      assertSameBits(got.median, medianBySelection(onLabels(values, labels, 2).filter((v) => v === v)), `${where} median`);
    }
  }
});

test("rowGroups labels the rows, and refuses fitted rows that have no target or come twice", () => {
  assert.deepEqual(rowGroups(5, [0, 2, 3, 4], [3, 0]), { labels: Uint8Array.of(2, 0, 1, 2, 1), counts: [1, 2, 2] });
  assert.equal(rowGroups(5, [0, 2, 3], [1]), undefined);
  assert.equal(rowGroups(5, [0, 2, 3], [2, 2]), undefined);
});
