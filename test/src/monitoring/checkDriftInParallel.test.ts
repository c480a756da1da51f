import { test } from "node:test";
import assert from "node:assert/strict";
import { createRandom } from "../../../src/models/random.js";
import { checkDrift } from "../../../src/monitoring/checkDrift.js";
import { checkDriftInParallel } from "../../../src/monitoring/checkDriftInParallel.js";
import type { DriftBaseline, DriftCurrent, DriftValues } from "../../../src/monitoring/DriftSide.js";

const rand = createRandom(14);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const numbers = (n: number, f: () => number): DriftValues => ({ kind: "number", values: Float64Array.from({ length: n }, f) });
const withGaps = (v: DriftValues): DriftValues => {
  const values = Float64Array.from(v.values as Float64Array);
  for (let i = 0; i < values.length; i += 7) values[i] = i % 2 ? NaN : Infinity;
  return { kind: "number", values };
};
const categories = (n: number, shares: string[]): DriftValues => ({
  kind: "category",
  values: Array.from({ length: n }, () => shares[Math.floor(rand() * shares.length)]),
});

/** Numeric columns of every shape a check meets (shifted, scaled, with NaN and ±Infinity, few integers, none present), a text one, one the current data lacks. */
function sides(nRef: number, nCur: number): { baseline: DriftBaseline; current: DriftCurrent } {
  const side = (n: number, shifted: boolean) =>
    new Map<string, DriftValues>([
      ["shifted", numbers(n, () => normal() + (shifted ? 0.5 : 0))],
      ["scaled", numbers(n, () => Math.exp(normal() * 0.5) * (shifted ? 1.5 : 1))],
      ["gaps", withGaps(numbers(n, () => rand()))],
      ["small_ints", numbers(n, () => Math.floor(rand() * (shifted ? 4 : 3)))],
      ["empty", numbers(n, () => (shifted ? rand() : NaN))],
      ["city", categories(n, shifted ? ["paris", "lyon", "lyon"] : ["paris", "lyon", "nice"])],
      ["wide", numbers(n, () => normal() * 1e6)],
      ...(shifted ? [] : [["gone", numbers(n, rand)] as [string, DriftValues]]),
    ]);
  const ref = side(nRef, false);
  const cur = side(nCur, true);
  return {
    baseline: {
      describe: { source: "dataset", dataset_id: "ref", rows: nRef, compared_rows: nRef },
      task: "regression",
      columns: [...ref].map(([name, v]) => ({ name, kind: v.kind })),
      skipped: [],
      rows: nRef,
      features: ref,
      prediction: numbers(nRef, normal),
      present: new Map([...ref].map(([name, v]) => [name, v.values.length])),
      performance: { metrics: { r2: 0.8, rmse: 1, mae: 0.8 } },
    },
    current: {
      describe: { source: "dataset", dataset_id: "cur", rows: nCur },
      rows: nCur,
      features: cur,
      prediction: numbers(nCur, () => normal() + 0.3),
      labelled: { truth: [1, 2, 3], predicted: [1.5, 2, 2.5] },
    },
  };
}

test("columns compared on worker threads give checkDrift's report to the last bit, in the same order", async () => {
  const large = sides(6000, 5000);
  // A reference of at most 1,000 rows: KS, chi-square and z by default.
  const small = sides(800, 5000);
  const cases = [
    { ...large, options: {} },
    { ...large, options: { threshold: 0.2 } },
    { ...large, options: { method: "psi" as const } },
    { ...large, options: { method: "jensenshannon" as const, driftShare: 0.2 } },
    { ...large, options: { method: "chisquare" as const } },
    { ...small, options: {} },
  ];
  for (const { baseline, current, options } of cases) {
    const expected = checkDrift(baseline, current, options);
    // Two workers besides this thread, and no minimum: every numeric column goes through the queue.
    const actual = await checkDriftInParallel(baseline, current, options, { workers: 2, minValues: 0 });
    assert.deepStrictEqual(actual, expected, JSON.stringify(options));
  }
  assert.ok(checkDrift(small.baseline, small.current).columns.some((c) => c.method === "ks"));
  const { baseline, current } = large;
  const r = await checkDriftInParallel(baseline, current, {}, { workers: 2, minValues: 0 });
  assert.deepEqual(
    r.skipped.map((s) => s.column),
    ["empty", "gone"],
  );
  assert.ok(r.drifted_columns.includes("shifted") && r.prediction?.drifted);
});

test("a method that cannot judge a column fails as checkDrift does, naming the first such column", async () => {
  const { baseline, current } = sides(3000, 3000);
  const expected = (() => {
    try {
      checkDrift(baseline, current, { method: "wasserstein" });
    } catch (e) {
      return e;
    }
    assert.fail("checkDrift accepted wasserstein on a text column");
  })();
  await assert.rejects(checkDriftInParallel(baseline, current, { method: "wasserstein" }, { workers: 2, minValues: 0 }), (e: unknown) => {
    assert.deepEqual(e, expected);
    assert.match(String((e as Error).message), /Column 'city'/);
    return true;
  });
});

test("a check below the minimum runs on this thread and gives the same report", async () => {
  const { baseline, current } = sides(2000, 2000);
  assert.deepStrictEqual(await checkDriftInParallel(baseline, current), checkDrift(baseline, current));
});

test("a prediction made on first read (as a dataset side makes it) is made once and compared like a plain one", async () => {
  const { baseline, current } = sides(4000, 4000);
  const expected = checkDrift(baseline, current);
  let made = 0;
  const plain = baseline.prediction;
  const lazy: DriftBaseline = { ...baseline };
  Object.defineProperty(lazy, "prediction", {
    get: () => {
      made++;
      return plain;
    },
  });
  assert.deepStrictEqual(await checkDriftInParallel(lazy, current, {}, { workers: 1, minValues: 0 }), expected);
  assert.equal(made, 1);
});
