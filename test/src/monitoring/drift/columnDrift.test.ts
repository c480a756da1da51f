import assert from "node:assert/strict";
import { test } from "node:test";
import { DwError } from "../../../../src/errors/DwError.js";
import { columnDrift } from "../../../../src/monitoring/drift/columnDrift.js";
import { defaultDriftMethod } from "../../../../src/monitoring/drift/defaultDriftMethod.js";
import type { DriftColumnData } from "../../../../src/monitoring/drift/DriftMethod.js";

// What columnDrift answers at the edges, and why. Agreement with Evidently on ordinary data is
// evidently.integration.test.ts.

const num = (values: number[]): DriftColumnData => ({ kind: "number", values: Float64Array.from(values) });
const cat = (counts: Record<string, number>): DriftColumnData => ({ kind: "category", counts: new Map(Object.entries(counts)) });
const repeat = (v: number, n: number) => new Array<number>(n).fill(v);
const ramp = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

test("the default method is Evidently DataDriftPreset's: size rule on reference values, n_unique over both sides", () => {
  assert.equal(defaultDriftMethod("number", 1000, 6), "ks");
  assert.equal(defaultDriftMethod("number", 1000, 5), "chisquare");
  assert.equal(defaultDriftMethod("number", 1000, 2), "z");
  assert.equal(defaultDriftMethod("category", 1000, 40), "chisquare");
  assert.equal(defaultDriftMethod("category", 10, 2), "z");
  assert.equal(defaultDriftMethod("number", 1001, 6), "wasserstein");
  assert.equal(defaultDriftMethod("number", 1001, 5), "jensenshannon");
  assert.equal(defaultDriftMethod("number", 1001, 2), "jensenshannon");
  assert.equal(defaultDriftMethod("category", 1001, 2), "jensenshannon");
  // n_unique counts values of both sides: 3 in the reference and 3 new ones in the current make 6.
  assert.equal(columnDrift(num([1.5, 2.5, 3.5]), num([4.5, 5.5, 6.5])).method, "ks");
  // A sample of 500 standing for a reference of 5,000 values takes the large-reference rule.
  assert.equal(columnDrift(num(ramp(500)), num(ramp(500))).method, "ks");
  assert.equal(columnDrift(num(ramp(500)), num(ramp(500)), { referenceRows: 5000 }).method, "wasserstein");
});

test("like Evidently's type inference (from the current data), integers of at most 10 distinct values are categorical", () => {
  const ref = num(ramp(300).map((i) => i % 8));
  // 8 distinct integers in the current: categorical, so chi-square rather than KS.
  assert.equal(columnDrift(ref, num(ramp(300).map((i) => i % 8))).method, "chisquare");
  // 11 distinct in the current: numeric again; a fraction makes it a float column: numeric.
  assert.equal(columnDrift(ref, num(ramp(300).map((i) => i % 11))).method, "ks");
  assert.equal(columnDrift(ref, num([...ramp(299).map((i) => i % 8), 0.5])).method, "ks");
});

test("an empty side has no statistic: DATA_ERROR naming the side (Evidently refuses an empty column too)", () => {
  for (const [ref, cur, side] of [
    [num([]), num([1, 2]), "reference"],
    [num([1, 2]), num([Number.NaN, Number.POSITIVE_INFINITY]), "current"],
    [cat({ a: 3 }), cat({}), "current"],
  ] as const) {
    assert.throws(
      () => columnDrift(ref, cur),
      (e: unknown) => e instanceof DwError && e.code === "DATA_ERROR" && e.details?.side === side,
    );
  }
});

test("NaN and ±Infinity are dropped like nulls, and the caller's array is neither sorted nor changed", () => {
  const values = Float64Array.from([5, Number.NaN, 1, 3, Number.NEGATIVE_INFINITY, 2, 4, 6]);
  const clean = columnDrift(num([5, 1, 3, 2, 4, 6]), num([1, 2, 3, 4, 5, 6]), { method: "ks" });
  const dirty = columnDrift({ kind: "number", values }, num([1, 2, 3, 4, 5, 6]), { method: "ks" });
  assert.deepEqual(dirty, clean);
  assert.deepEqual([...values.slice(0, 4)], [5, Number.NaN, 1, 3]);
});

test("the same constant on both sides: no drift by any method (z answers p = 1 as Evidently does; Wasserstein divides by the 0.001 floor)", () => {
  const ref = num(repeat(3, 2000));
  const cur = num(repeat(3, 500));
  const auto = columnDrift(ref, cur);
  assert.deepEqual(auto, { method: "jensenshannon", statistic: 0, p_value: null, threshold: 0.1, drifted: false });
  assert.deepEqual(columnDrift(num(repeat(3, 100)), cur), { method: "z", statistic: 0, p_value: 1, threshold: 0.05, drifted: false });
  assert.deepEqual(columnDrift(ref, cur, { method: "ks" }), { method: "ks", statistic: 0, p_value: 1, threshold: 0.05, drifted: false });
  assert.equal(columnDrift(ref, cur, { method: "wasserstein" }).statistic, 0);
  assert.equal(columnDrift(ref, cur, { method: "psi" }).statistic, 0);
});

test("two different constants: every method calls it drift", () => {
  const ref = num(repeat(1, 300));
  const cur = num(repeat(2, 300));
  for (const method of ["ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"] as const) {
    assert.equal(columnDrift(ref, cur, { method }).drifted, true, method);
  }
  // KS: the two CDFs are 1 apart everywhere between the values.
  assert.equal(columnDrift(ref, cur, { method: "ks" }).statistic, 1);
  // Wasserstein: the mass moves by 1, over the 0.001 floor of a zero standard deviation.
  assert.equal(columnDrift(ref, cur, { method: "wasserstein" }).statistic, 1000);
  // Jensen–Shannon of two disjoint distributions is its maximum, sqrt(ln 2).
  assert.ok(Math.abs(columnDrift(ref, cur, { method: "jensenshannon" }).statistic - Math.sqrt(Math.LN2)) < 1e-15);
  // chi-square: the current's value was never seen, so its expected count is 0 and chi² infinite
  // (reported as the largest double: JSON has no infinity); p is 0.
  const chi = columnDrift(ref, cur, { method: "chisquare" });
  assert.equal(chi.statistic, Number.MAX_VALUE);
  assert.equal(chi.p_value, 0);
});

test("one category on both sides: chi-square has no degree of freedom; dw answers chi² 0, p 1 (scipy: NaN, Evidently: no drift)", () => {
  assert.deepEqual(columnDrift(cat({ a: 10 }), cat({ a: 4 }), { method: "chisquare" }), {
    method: "chisquare",
    statistic: 0,
    p_value: 1,
    threshold: 0.05,
    drifted: false,
  });
  // The default for one value is the z-test, with Evidently's p = 1 for "the same single value".
  assert.equal(columnDrift(cat({ a: 10 }), cat({ a: 4 })).p_value, 1);
});

test("categories with a zero count are absent, not a category", () => {
  const a = columnDrift(cat({ x: 30, y: 20, z: 0 }), cat({ x: 10, y: 20 }), { method: "chisquare" });
  const b = columnDrift(cat({ x: 30, y: 20 }), cat({ x: 10, y: 20 }), { method: "chisquare" });
  assert.deepEqual(a, b);
});

test("KS drifts at p <= threshold (Evidently's KS writes <=), chi-square and z at p < threshold, distances at >= threshold", () => {
  const ref = num(ramp(50));
  const cur = num(ramp(50, 10));
  const ks = columnDrift(ref, cur, { method: "ks" });
  assert.ok(ks.p_value !== null);
  assert.equal(columnDrift(ref, cur, { method: "ks", threshold: ks.p_value }).drifted, true);
  const chi = columnDrift(cat({ a: 30, b: 20 }), cat({ a: 20, b: 30 }), { method: "chisquare" });
  assert.ok(chi.p_value !== null);
  assert.equal(columnDrift(cat({ a: 30, b: 20 }), cat({ a: 20, b: 30 }), { method: "chisquare", threshold: chi.p_value }).drifted, false);
  const w = columnDrift(ref, cur, { method: "wasserstein" });
  assert.equal(columnDrift(ref, cur, { method: "wasserstein", threshold: w.statistic }).drifted, true);
});

test("ks and wasserstein need numbers; the two sides must be of one kind", () => {
  for (const method of ["ks", "wasserstein"] as const) {
    assert.throws(
      () => columnDrift(cat({ a: 1, b: 2 }), cat({ a: 2, b: 1 }), { method }),
      (e: unknown) => e instanceof DwError && e.code === "INVALID_INPUT",
    );
  }
  assert.throws(
    () => columnDrift(num([1, 2]), cat({ a: 1 })),
    (e: unknown) => e instanceof DwError && e.code === "INVALID_INPUT",
  );
});
