import { test } from "node:test";
import assert from "node:assert/strict";
import type { Dataset } from "../../../src/data/Dataset.js";
import { fitPipeline, transform } from "../../../src/models/preprocessing.js";
import { rowAccessor } from "../../../src/models/rowAccessor.js";
import type { ValueAccessor } from "../../../src/models/ValueAccessor.js";
import { isDwError } from "../../../src/errors/DwError.js";

const ds: Dataset = {
  rows: 6,
  columns: [
    { name: "a", type: "number", values: Float64Array.of(1.5, -0, NaN, 4, 100, 7), nulls: 1 },
    { name: "b", type: "number", values: Float64Array.of(10, NaN, 30, -40, 50, 60), nulls: 1 },
    { name: "c", type: "string", values: ["x", "y", null, "y", "x", "z"], nulls: 1 },
  ],
};
const rows = Int32Array.of(5, 0, 2, 3, 1);

/** The same rows through a bare accessor: the path every value's closure and readNumber take. */
const bare =
  (d: Dataset, r: ArrayLike<number>): ValueAccessor =>
  (name) => {
    const values = d.columns.find((c) => c.name === name)!.values;
    return (i) => values[r[i]];
  };

test("transform reads a number column's Float64Array through rowAccessor to the same bits as through a value per call, scaled or not", () => {
  for (const scale of [false, true]) {
    const pipeline = fitPipeline(ds.columns, rows, { scale });
    const typed = transform(pipeline, rows.length, rowAccessor(ds, rows));
    const called = transform(pipeline, rows.length, bare(ds, rows));
    assert.equal(typed.cols, 2 + 4); // a, b, c=x, c=y, c=z, c=(other)
    assert.equal(typed.data.length, called.data.length);
    typed.data.forEach((x, i) => assert.ok(Object.is(x, called.data[i]), `cell ${i}: ${x} vs ${called.data[i]}`));
  }
});

test("a permuted column is read through its order, and an infinite value is the same error either way", () => {
  const pipeline = fitPipeline(ds.columns, rows, { scale: false });
  const order = [4, 3, 2, 1, 0];
  const permuted = transform(pipeline, rows.length, rowAccessor(ds, rows, { column: "a", order }));
  const want = transform(pipeline, rows.length, (name) => {
    const values = ds.columns.find((c) => c.name === name)!.values;
    return name === "a" ? (i) => values[rows[order[i]]] : (i) => values[rows[i]];
  });
  assert.deepEqual(permuted, want);

  const inf: Dataset = {
    ...ds,
    columns: ds.columns.map((c) => (c.name === "b" ? { name: "b", type: "number", values: Float64Array.of(10, NaN, 30, Infinity, 50, 60), nulls: 1 } : c)),
  };
  const message = (get: ValueAccessor) => {
    try {
      transform(pipeline, rows.length, get);
    } catch (e) {
      assert.ok(isDwError(e));
      return e.message;
    }
    assert.fail("an infinite value was read");
  };
  assert.equal(message(rowAccessor(inf, rows)), message(bare(inf, rows)));
  assert.match(message(rowAccessor(inf, rows)), /Row 3, column 'b': expected a finite number/);
});

test("the typed read walks the dataset in order for most of its rows and in the rows' order for few, both to the bits of the per-value read", () => {
  let seed = 9;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const total = 3000;
  const big: Dataset = {
    rows: total,
    columns: ["a", "b", "c"].map((name) => ({
      name,
      type: "number" as const,
      values: Float64Array.from({ length: total }, () => (rand() < 0.1 ? NaN : rand() * 100 - 50)),
      nulls: 0,
    })),
  };
  const shuffled = Int32Array.from({ length: total }, (_, i) => i).sort((x, y) => ((x * 7919) % total) - ((y * 7919) % total));
  for (const rowsOf of [shuffled.slice(0, 2400), shuffled.slice(0, 300), Int32Array.of(4, 4, 5, 6, ...shuffled.slice(0, 2000))]) {
    for (const scale of [false, true]) {
      const pipeline = fitPipeline(big.columns, rowsOf, { scale });
      const typed = transform(pipeline, rowsOf.length, rowAccessor(big, rowsOf));
      const called = transform(pipeline, rowsOf.length, bare(big, rowsOf));
      typed.data.forEach((x, i) => assert.ok(Object.is(x, called.data[i]), `${rowsOf.length} rows, cell ${i}`));
    }
  }
});
