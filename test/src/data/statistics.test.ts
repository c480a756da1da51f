import { test } from "node:test";
import assert from "node:assert/strict";
import { median, medianBySelection, quantileSorted, quantilesPresent, selectQuantilePositions, sortedPresent } from "../../../src/data/statistics.js";

const QS = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1, 0.123, 0.999];

/** Seeded columns of the shapes a selection can get wrong: duplicates, signed zeros, infinities, NaNs, sorted and reversed runs. */
function columns(): Float64Array[] {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: Float64Array[] = [new Float64Array(0), Float64Array.of(NaN), Float64Array.of(-0), Float64Array.of(0, -0), Float64Array.of(-0, 0, -0)];
  for (const n of [1, 2, 3, 4, 5, 7, 10, 31, 100, 1000, 40_001]) {
    out.push(Float64Array.from({ length: n }, () => rand() * 2 - 1));
    out.push(Float64Array.from({ length: n }, () => Math.floor(rand() * 4) - 2)); // few distinct values
    out.push(Float64Array.from({ length: n }, () => [-0, 0, NaN, 1, -1, Infinity, -Infinity][Math.floor(rand() * 7)]));
    out.push(Float64Array.from({ length: n }, (_, i) => i)); // already sorted
    out.push(Float64Array.from({ length: n }, (_, i) => n - i)); // reversed
    out.push(Float64Array.from({ length: n }, (_, i) => (i % 2 ? 5 : i))); // organ pipe with a constant
    out.push(new Float64Array(n).fill(3));
  }
  return out;
}

test("quantilesPresent equals quantileSorted over sortedPresent bit for bit (Object.is), signed zeros and infinities included", () => {
  for (const column of columns()) {
    const sorted = sortedPresent(column);
    const got = quantilesPresent(column, QS);
    for (const [i, q] of QS.entries())
      assert.ok(Object.is(got[i], quantileSorted(sorted, q)), `n ${column.length}, q ${q}: ${got[i]} vs ${quantileSorted(sorted, q)}`);
  }
});

test("selectQuantilePositions leaves the column alone and returns its non-missing values, rearranged (a zero's sign aside)", () => {
  const unsigned = (a: Float64Array) => a.map((v) => (v === 0 ? 0 : v));
  for (const column of columns()) {
    const before = Float64Array.from(column);
    const placed = selectQuantilePositions(column, QS);
    assert.deepEqual(column, before);
    assert.deepEqual(unsigned(Float64Array.from(placed).sort()), unsigned(sortedPresent(column)));
  }
});

test("medianBySelection equals median bit for bit, NaNs (which sort last there) included", () => {
  for (const column of columns()) {
    if (column.length === 0) continue;
    assert.ok(Object.is(medianBySelection(column), median(column)), `n ${column.length}`);
    assert.ok(Object.is(medianBySelection(Array.from(column)), median(Array.from(column))));
  }
  assert.equal(medianBySelection([5, 1, 4, 2]), 3);
});

test("an adversarial order (median-of-three killer) still ends, by the sort fallback", () => {
  const n = 1 << 14;
  const column = Float64Array.from({ length: n }, (_, i) => (i % 2 ? i : n - i));
  assert.ok(Object.is(medianBySelection(column), median(column)));
  assert.deepEqual(
    quantilesPresent(column, QS),
    QS.map((q) => quantileSorted(sortedPresent(column), q)),
  );
});

test("sortedPresent (a radix sort from 32,768 values) orders exactly as Float64Array.prototype.sort: −∞ first, −0 before +0, +∞ last, NaN left out", () => {
  for (const column of columns()) {
    const builtIn = Float64Array.from(Array.from(column).filter((v) => v === v)).sort();
    const got = sortedPresent(column);
    assert.equal(got.length, builtIn.length);
    for (let i = 0; i < got.length; i++) assert.ok(Object.is(got[i], builtIn[i]), `n ${column.length}, index ${i}: ${got[i]} vs ${builtIn[i]}`);
  }
});
