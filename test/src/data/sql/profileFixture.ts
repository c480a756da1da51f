import assert from "node:assert/strict";
import type { TableProfile } from "../../../../src/quality/TableProfile.js";

/**
 * A table with every column kind, nulls, duplicate rows and a target, written as CSV, with the
 * profile numbers computed here in plain JavaScript: the oracle both SQL engines are checked against.
 */
export interface FixtureRow {
  id: number;
  x: number | null;
  cat: string | null;
  flag: boolean;
  d: string;
  ts: string;
  label: string;
  y: number | null;
}

export const DUPLICATES = 30;

export function fixtureRows(n = 2000): FixtureRow[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const rows: FixtureRow[] = [];
  for (let i = 0; i < n; i++) {
    const x = i % 17 === 0 ? null : Math.round(rnd() * 100_000) / 1000;
    const day = new Date(Date.UTC(2020, 0, 1 + (i % 365)));
    const ts = new Date(Date.UTC(2021, 0, 1) + i * 37 * 60_000);
    rows.push({
      id: i,
      x,
      cat: i % 11 === 0 ? null : ["a", "b", "c", "d"][Math.floor(rnd() * 4)],
      flag: i % 3 === 0,
      d: day.toISOString().slice(0, 10),
      ts: ts.toISOString().slice(0, 19).replace("T", " "),
      // The label follows x: a leak the profile must show as a large correlation ratio.
      label: x !== null && x > 50 ? "hi" : "lo",
      y: x === null ? null : x * 2 + 1,
    });
  }
  for (let i = 0; i < DUPLICATES; i++) rows.push({ ...rows[i * 3] });
  return rows;
}

export function toCsv(rows: FixtureRow[]): string {
  const cell = (v: unknown) => (v === null ? "" : String(v));
  return ["id,x,cat,flag,d,ts,label,y", ...rows.map((r) => [r.id, r.x, r.cat, r.flag, r.d, r.ts, r.label, r.y].map(cell).join(","))].join("\n") + "\n";
}

export const POSTGRES_DDL = "CREATE TABLE fixture (id bigint, x double precision, cat text, flag boolean, d date, ts timestamp, label text, y numeric)";

export const REQUEST = {
  target: "label",
  topK: 3,
  reference: [
    { name: "x", min: 10, max: 90, edges: [25, 50, 75] },
    { name: "d", min: "2020-02-01", max: "2020-11-30" },
    { name: "cat", categories: ["a", "b"] },
  ],
};

/** The numbers a correct profile of `rows` with REQUEST must contain. */
export function expectedProfile(rows: FixtureRow[]) {
  const xs = rows.map((r) => r.x).filter((v): v is number => v !== null);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  const count = <T>(vals: T[]) => {
    const m = new Map<T, number>();
    for (const v of vals) m.set(v, (m.get(v) ?? 0) + 1);
    return m;
  };
  const cats = count(rows.map((r) => r.cat).filter((v) => v !== null));
  const labels = count(rows.map((r) => r.label));
  // η² of x grouped by label, over rows with x present.
  const withX = rows.filter((r) => r.x !== null);
  const groups = new Map<string, number[]>();
  for (const r of withX) groups.set(r.label, [...(groups.get(r.label) ?? []), r.x!]);
  let between = 0;
  for (const g of groups.values()) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    between += g.length * (m - mean) ** 2;
  }
  const eta = between / xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  // Purity of cat for label, over rows with cat present.
  const withCat = rows.filter((r) => r.cat !== null);
  const pairs = count(withCat.map((r) => `${r.cat}|${r.label}`));
  let best = 0;
  for (const c of cats.keys()) best += Math.max(...[...labels.keys()].map((l) => pairs.get(`${c}|${l}`) ?? 0));
  const catLabels = count(withCat.map((r) => r.label));
  const seen = new Set<string>();
  let dups = 0;
  for (const r of rows) {
    const key = JSON.stringify(r);
    if (seen.has(key)) dups++;
    seen.add(key);
  }
  const days = rows.map((r) => r.d);
  return {
    rows: rows.length,
    duplicateRows: dups,
    x: {
      count: xs.length,
      nulls: rows.length - xs.length,
      distinct: new Set(xs).size,
      min: Math.min(...xs),
      max: Math.max(...xs),
      mean,
      std,
      belowRange: xs.filter((v) => v < 10).length,
      aboveRange: xs.filter((v) => v > 90).length,
      binCounts: [
        xs.filter((v) => v < 25).length,
        xs.filter((v) => v >= 25 && v < 50).length,
        xs.filter((v) => v >= 50 && v < 75).length,
        xs.filter((v) => v >= 75).length,
      ],
    },
    cat: {
      nulls: rows.filter((r) => r.cat === null).length,
      distinct: cats.size,
      top: [...cats]
        .sort((a, b) => b[1] - a[1] || (a[0]! < b[0]! ? -1 : 1))
        .slice(0, 3)
        .map(([value, count]) => ({ value, count })),
      binCounts: [cats.get("a") ?? 0, cats.get("b") ?? 0, (cats.get("c") ?? 0) + (cats.get("d") ?? 0)],
    },
    d: {
      min: days.reduce((a, b) => (a < b ? a : b)),
      max: days.reduce((a, b) => (a > b ? a : b)),
      belowRange: days.filter((v) => v < "2020-02-01").length,
      aboveRange: days.filter((v) => v > "2020-11-30").length,
    },
    classCounts: [...labels].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, count })),
    eta,
    purity: { value: best / withCat.length, baseline: Math.max(...catLabels.values()) / withCat.length },
  };
}

/** Checks a profile against the JavaScript oracle; shared with the PostgreSQL test. */
export function assertMatchesOracle(p: TableProfile, want: ReturnType<typeof expectedProfile>): void {
  const close = (a: number | string | undefined, b: number, what: string) =>
    assert.ok(typeof a === "number" && Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
  assert.equal(p.rows, want.rows);
  assert.equal(p.duplicateRows, want.duplicateRows);
  const col = (name: string) => p.columns.find((c) => c.name === name)!;
  assert.deepEqual(
    p.columns.map((c) => [c.name, c.type]),
    [
      ["id", "number"],
      ["x", "number"],
      ["cat", "string"],
      ["flag", "boolean"],
      ["d", "date"],
      ["ts", "date"],
      ["label", "string"],
      ["y", "number"],
    ],
  );
  const x = col("x");
  assert.deepEqual(
    [x.count, x.nulls, x.distinct, x.belowRange, x.aboveRange, x.binCounts],
    [want.x.count, want.x.nulls, want.x.distinct, want.x.belowRange, want.x.aboveRange, want.x.binCounts],
  );
  close(x.min, want.x.min, "x.min");
  close(x.max, want.x.max, "x.max");
  close(x.mean, want.x.mean, "x.mean");
  close(x.std, want.x.std, "x.std");
  const cat = col("cat");
  assert.deepEqual(
    [cat.nulls, cat.distinct, cat.top, cat.binCounts, cat.numericShare],
    [want.cat.nulls, want.cat.distinct, want.cat.top, want.cat.binCounts, 0],
  );
  const d = col("d");
  assert.deepEqual([d.min, d.max, d.belowRange, d.aboveRange], [want.d.min, want.d.max, want.d.belowRange, want.d.aboveRange]);
  assert.equal(col("ts").min, "2021-01-01T00:00:00");
  assert.equal(col("ts").minTime, Date.UTC(2021, 0, 1));
  assert.equal(col("ts").maxTime, Date.UTC(2021, 0, 1) + 1999 * 37 * 60_000);
  assert.equal(d.minTime, Date.parse(`${want.d.min}T00:00:00Z`));
  assert.deepEqual([col("id").integers, x.integers], [true, false]);
  assert.deepEqual(
    col("flag")
      .top?.map((t) => t.value)
      .sort(),
    ["false", "true"],
  );
  assert.deepEqual(p.classCounts, want.classCounts);
  const leak = Object.fromEntries((p.leakage ?? []).map((l) => [l.feature, l]));
  assert.equal(leak.x.measure, "correlation_ratio");
  close(leak.x.value, want.eta, "eta(x)");
  assert.equal(leak.cat.measure, "purity");
  close(leak.cat.value, want.purity.value, "purity(cat)");
  close(leak.cat.baseline, want.purity.baseline, "baseline(cat)");
  assert.ok(!("d" in leak) && !("ts" in leak), "dates are not tested for leakage");
  assert.ok(leak.y.value > 0.5, "y is x's twin, so it leaks the label too");
}
