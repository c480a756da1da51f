import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { profileDataset } from "../../../src/quality/profileDataset.js";
import type { ColumnProfile } from "../../../src/quality/TableProfile.js";
import { csv, pandas, selectCsv, vegaPath, vegaText } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "dw-profile-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// pandas with dw's missing-value tokens, so both sides agree on what is missing.
const PANDAS_PROFILE = `
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=["", "NA", "N/A", "NaN", "null", "NULL", "nan"])
cols = {}
for c in df.columns:
    s = df[c]
    d = {"count": int(s.count()), "nulls": int(s.isna().sum()), "distinct": int(s.nunique())}
    if pd.api.types.is_numeric_dtype(s):
        d.update(mean=float(s.mean()), std=float(s.std(ddof=0)), min=float(s.min()), max=float(s.max()))
    else:
        vc = s.value_counts()
        d["top"] = [[str(k), int(v)] for k, v in vc.head(3).items()]
    cols[c] = d
print(json.dumps({"rows": len(df), "duplicated": int(df.duplicated().sum()), "first_dups": [int(i) for i in df.index[df.duplicated()][:10]], "columns": cols}))
`;

interface PandasProfile {
  rows: number;
  duplicated: number;
  first_dups: number[];
  columns: Record<
    string,
    { count: number; nulls: number; distinct: number; mean?: number; std?: number; min?: number; max?: number; top?: [string, number][] }
  >;
}

function assertMatchesPandas(actual: ColumnProfile, expected: PandasProfile["columns"][string]): void {
  assert.equal(actual.count, expected.count, `${actual.name} count`);
  assert.equal(actual.nulls, expected.nulls, `${actual.name} nulls`);
  assert.equal(actual.distinct, expected.distinct, `${actual.name} distinct`);
  if (expected.mean !== undefined) {
    for (const k of ["mean", "std", "min", "max"] as const) {
      const a = actual[k] as number;
      const e = expected[k]!;
      assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${actual.name} ${k}: ${a} vs pandas ${e}`);
    }
  }
  if (expected.top && actual.type === "string") {
    // Counts must agree; among equal counts the order may differ, so compare counts then values as sets.
    assert.deepEqual(
      actual.top!.slice(0, 3).map((t) => t.count),
      expected.top.map((t) => t[1]),
      `${actual.name} top counts`,
    );
  }
}

test("the profile of real data (birdstrikes: text, dates, numbers with missing values) agrees with pandas", () => {
  const p = profileDataset(csv(vegaText("birdstrikes")));
  const e = pandas<PandasProfile>(PANDAS_PROFILE, vegaPath("birdstrikes"), dir);
  assert.equal(p.rows, e.rows);
  assert.equal(p.duplicateRows, e.duplicated);
  for (const c of p.columns) assertMatchesPandas(c, e.columns[c.name]);
  const speed = p.columns.find((c) => c.name === "Speed IAS in knots")!;
  assert.ok(speed.nulls > 2000, "the missing speeds are counted");
  assert.equal(p.columns.find((c) => c.name === "Flight Date")!.type, "date");
});

test("duplicate rows are counted exactly as pandas' duplicated() does, with the first duplicates named", () => {
  // Four categorical columns of birdstrikes: most rows repeat an earlier one.
  const file = join(dir, "birdstrikes-categories.csv");
  writeFileSync(file, selectCsv(vegaText("birdstrikes"), ["Origin State", "Phase of flight", "Wildlife Size", "Time of day", "Cost Total $"]));
  const p = profileDataset(csv(selectCsv(vegaText("birdstrikes"), ["Origin State", "Phase of flight", "Wildlife Size", "Time of day", "Cost Total $"])));
  const e = pandas<PandasProfile>(PANDAS_PROFILE, file, dir);
  assert.ok(e.duplicated > 1000, `the fixture has many duplicates (${e.duplicated})`);
  assert.equal(p.duplicateRows, e.duplicated);
  assert.deepEqual(p.duplicateExamples, e.first_dups);
  for (const c of p.columns) assertMatchesPandas(c, e.columns[c.name]);
});

test("distinct values are exact for sorted columns (the set is skipped) and for unsorted ones, and -0 equals 0", () => {
  const ds = csv("a,b,c\n1,5,0\n2,5,-0\n2,4,0.0\n3,9,1\n");
  const p = profileDataset(ds);
  const [a, b, c] = p.columns;
  assert.equal(a.distinct, 3);
  assert.equal(a.monotonic, undefined, "ties: not strictly increasing");
  assert.equal(b.distinct, 3);
  assert.equal(c.distinct, 2);
  const ids = profileDataset(csv("id\n" + Array.from({ length: 50 }, (_, i) => 100 - i).join("\n") + "\n")).columns[0];
  assert.equal(ids.monotonic, "decreasing");
  assert.equal(ids.integers, true);
  assert.equal(ids.distinct, 50);
});

test("a reference gives range counts and bin counts closed on the left, and category counts with 'other'", () => {
  const ds = csv("x,k\n0,a\n1,b\n2,a\n3,c\n4,\n5,a\n");
  const p = profileDataset(ds, {
    reference: [
      { name: "x", min: 1, max: 4, edges: [1, 3] },
      { name: "k", categories: ["a", "b"] },
    ],
  });
  const [x, k] = p.columns;
  assert.equal(x.belowRange, 1);
  assert.equal(x.aboveRange, 1);
  assert.deepEqual(x.binCounts, [1, 2, 3]); // 0 | 1,2 | 3,4,5
  assert.deepEqual(k.binCounts, [3, 1, 1]);
  assert.equal(k.nulls, 1);
});

test("dates: min and max as written, as instants, and a time without a zone read as UTC", () => {
  const p = profileDataset(csv("t\n2024-03-01 10:00:00\n2024-02-29T23:30:00Z\n2024-03-01T12:00:00+02:00\n"));
  const t = p.columns[0];
  assert.equal(t.type, "date");
  assert.equal(t.min, "2024-02-29T23:30:00Z");
  // 12:00+02:00 is the same instant as 10:00 UTC: the first one seen is reported.
  assert.equal(t.max, "2024-03-01 10:00:00");
  assert.equal(t.maxTime, Date.UTC(2024, 2, 1, 10));
  assert.equal(t.distinct, 2);
});

test("with a target: class counts and each feature's association (purity, η², |r|) as defined", () => {
  const p = profileDataset(csv("f,g,x,y\na,u,1,yes\na,u,2,yes\nb,u,3,no\nb,v,4,no\nc,v,5,yes\n"), { target: "y" });
  assert.deepEqual(p.classCounts, [
    { value: "yes", count: 3 },
    { value: "no", count: 2 },
  ]);
  const byFeature = Object.fromEntries(p.leakage!.map((l) => [l.feature, l]));
  assert.equal(byFeature.f.measure, "purity");
  assert.equal(byFeature.f.value, 1);
  assert.equal(byFeature.f.baseline, 0.6);
  assert.equal(byFeature.g.value, 0.6); // u → yes (2 of 3), v → 1 of 2
  assert.equal(byFeature.x.measure, "correlation_ratio");
  // η² of x by y: groups yes {1,2,5} mean 8/3, no {3,4} mean 3.5; total mean 3.
  const between = 3 * (8 / 3 - 3) ** 2 + 2 * (3.5 - 3) ** 2;
  assert.ok(Math.abs(byFeature.x.value - between / 10) < 1e-12);
  const r = profileDataset(csv("a,b\n1,2\n2,4\n3,6.5\n"), { target: "b" }).leakage![0];
  assert.equal(r.measure, "abs_correlation");
  assert.ok(r.value > 0.99 && r.value <= 1);
});
