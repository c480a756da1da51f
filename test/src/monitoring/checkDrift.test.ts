import { test } from "node:test";
import assert from "node:assert/strict";
import { createRandom } from "../../../src/models/random.js";
import { checkDrift } from "../../../src/monitoring/checkDrift.js";
import { columnDrift } from "../../../src/monitoring/drift/columnDrift.js";
import type { DriftBaseline, DriftCurrent, DriftValues } from "../../../src/monitoring/DriftSide.js";

const rand = createRandom(2026);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const numbers = (n: number, f: () => number): DriftValues => ({ kind: "number", values: Float64Array.from({ length: n }, f) });
const categories = (n: number, weights: Record<string, number>): DriftValues => {
  const entries = Object.entries(weights);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return {
    kind: "category",
    values: Array.from({ length: n }, () => {
      let u = rand() * total;
      for (const [c, w] of entries) if ((u -= w) < 0) return c;
      return entries[entries.length - 1][0];
    }),
  };
};

/** Eight inputs: c0 (mean +0.5 sd), c1 (scale ×1.5) and plan (shares moved) shifted in the current data; the rest not. */
function sides(nRef: number, nCur: number): { baseline: DriftBaseline; current: DriftCurrent } {
  const side = (n: number, shifted: boolean) =>
    new Map<string, DriftValues>([
      ["c0", numbers(n, () => normal() + (shifted ? 0.5 : 0))],
      ["c1", numbers(n, () => Math.exp(normal() * 0.5) * (shifted ? 1.5 : 1))],
      ["c2", numbers(n, () => rand())],
      ["c3", numbers(n, () => -Math.log(1 - rand()))],
      ["c4", numbers(n, () => normal() * 10)],
      ["flag", categories(n, { true: 3, false: 7 })],
      ["city", categories(n, { paris: 5, lyon: 3, nice: 2 })],
      ["plan", categories(n, shifted ? { basic: 2, pro: 5, team: 3 } : { basic: 6, pro: 3, team: 1 })],
    ]);
  const ref = side(nRef, false);
  const cur = side(nCur, true);
  const columns = [...ref].map(([name, v]) => ({ name, kind: v.kind }));
  const present = new Map([...ref].map(([name, v]) => [name, v.values.length]));
  return {
    baseline: {
      describe: { source: "dataset", dataset_id: "ref", rows: nRef, compared_rows: nRef },
      task: "regression",
      columns,
      skipped: [],
      rows: nRef,
      features: ref,
      prediction: numbers(nRef, normal),
      present,
      performance: { metrics: { r2: 0.8, rmse: 1, mae: 0.8 } },
    },
    current: {
      describe: { source: "dataset", dataset_id: "cur", rows: nCur },
      rows: nCur,
      features: cur,
      prediction: numbers(nCur, normal),
    },
  };
}

test("large reference: Wasserstein and Jensen–Shannon flag the shifted columns and only those", () => {
  const { baseline, current } = sides(5000, 4000);
  const r = checkDrift(baseline, current);
  assert.deepEqual(r.drifted_columns, ["c0", "c1", "plan"]);
  assert.deepEqual(
    r.columns.map((c) => [c.column, c.method]),
    [
      ["c0", "wasserstein"],
      ["c1", "wasserstein"],
      ["c2", "wasserstein"],
      ["c3", "wasserstein"],
      ["c4", "wasserstein"],
      ["flag", "jensenshannon"],
      ["city", "jensenshannon"],
      ["plan", "jensenshannon"],
    ],
  );
  assert.equal(r.share_drifted, 3 / 8);
  assert.equal(r.dataset_drift, false);
  assert.equal(r.prediction?.drifted, false);
  assert.equal(r.performance, null, "no labels, no performance");
  // Each verdict is the statistics module's on the same column.
  const c0 = r.columns[0];
  const direct = columnDrift(
    { kind: "number", values: (baseline.features.get("c0") as { values: Float64Array }).values },
    { kind: "number", values: (current.features.get("c0") as { values: Float64Array }).values },
  );
  assert.equal(c0.statistic, direct.statistic);
  assert.ok(c0.current.mean! - c0.reference.mean! > 0.4);
  // A lower share makes it dataset drift.
  assert.equal(checkDrift(baseline, current, { driftShare: 0.3 }).dataset_drift, true);
});

test("small reference: KS, chi-square and the z-test flag the same columns; the real row count picks the method for a sample", () => {
  const { baseline, current } = sides(800, 800);
  // A p-value test flags 5% of unshifted columns at 0.05: at 0.001 the seeded data's verdicts hold for their reason.
  const r = checkDrift(baseline, current, { threshold: 0.001 });
  assert.deepEqual(
    r.columns.map((c) => [c.column, c.method]),
    [
      ["c0", "ks"],
      ["c1", "ks"],
      ["c2", "ks"],
      ["c3", "ks"],
      ["c4", "ks"],
      ["flag", "z"],
      ["city", "chisquare"],
      ["plan", "chisquare"],
    ],
  );
  assert.deepEqual(r.drifted_columns, ["c0", "c1", "plan"]);
  for (const c of r.columns) assert.ok(c.p_value !== null && c.p_value >= 0 && c.p_value <= 1);
  // The same 800 values standing for 100,000 training rows: the distances, as for the whole data.
  const asSample = checkDrift({ ...baseline, rows: 100_000, present: new Map([...baseline.present].map(([k]) => [k, 100_000])) }, current);
  assert.equal(asSample.columns[0].method, "wasserstein");
  assert.deepEqual(asSample.drifted_columns, ["c0", "c1", "plan"]);
});

test("a method asked is used for every column; one that cannot judge a column's type names the column", () => {
  const { baseline, current } = sides(2000, 2000);
  const psi = checkDrift(baseline, current, { method: "psi" });
  assert.ok(psi.columns.every((c) => c.method === "psi" && c.threshold === 0.1));
  assert.ok(psi.drifted_columns.includes("c0") && psi.drifted_columns.includes("plan"));
  assert.throws(
    () => checkDrift(baseline, current, { method: "ks" }),
    (e: Error & { code?: string; details?: Record<string, unknown> }) => {
      assert.equal(e.code, "INVALID_INPUT");
      assert.match(e.message, /'flag'/);
      assert.equal(e.details?.field, "method");
      return true;
    },
  );
  const lax = checkDrift(baseline, current, { threshold: 5 });
  assert.deepEqual(lax.drifted_columns, [], "a distance threshold of 5 lets every shift here pass");
  assert.ok(lax.columns.every((c) => c.threshold === 5));
});

test("columns with no current values, and columns left out upstream, are skipped with the reason; labels give performance", () => {
  const { baseline, current } = sides(2000, 300);
  current.features.set("c2", { kind: "number", values: new Float64Array(300).fill(NaN) });
  current.features.delete("c3");
  const truth = Array.from({ length: 300 }, () => normal());
  const r = checkDrift(baseline, {
    ...current,
    skipped: [{ column: "c4", reason: "personal data" }],
    labelled: { truth, predicted: truth.map((t) => t + 0.1) },
  });
  assert.deepEqual(
    r.skipped.map((s) => s.column),
    ["c4", "c2", "c3"],
  );
  assert.equal(r.columns.length, 5);
  assert.ok(r.performance);
  assert.equal(r.performance.labelled_rows, 300);
  assert.ok(Math.abs(r.performance.metrics.mae - 0.1) < 1e-9);
  assert.ok(Math.abs(r.performance.change.mae - (0.1 - 0.8)) < 1e-9);
});
