import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  assert.equal((await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx)).ok, true);
});
after(async () => tw.cleanup());

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: dw ${a}, numpy ${b}`);

test("numeric columns of seattle-weather agree with numpy (mean, std ddof=1, quantiles) and scipy (skew, bias-corrected as pandas)", async () => {
  const out = ok(await runTool("get_feature_stats", { dataset_id: "weather" }, ctx));
  assert.equal(out.rows, 1461);
  assert.deepEqual(
    out.columns.map((c: { name: string }) => c.name),
    ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"],
  );
  const script = `
import sys, json, numpy as np
from scipy.stats import skew
d = np.genfromtxt(sys.argv[1], delimiter=",", names=True, dtype=None, encoding="utf8")
out = {}
for c in ["precipitation", "temp_max", "temp_min", "wind"]:
    x = d[c].astype(float)
    out[c] = dict(count=int(x.size), mean=float(x.mean()), std=float(x.std(ddof=1)), min=float(x.min()), max=float(x.max()),
                  q=[float(v) for v in np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95])], skew=float(skew(x, bias=False)), distinct=int(np.unique(x).size))
json.dump(out, sys.stdout)
`;
  const ref = JSON.parse(execFileSync(python, ["-c", script, join(tw.dir, "data", "seattle-weather.csv")], { encoding: "utf8" }));
  for (const [name, r] of Object.entries(ref) as [string, any][]) {
    const c = out.columns.find((x: { name: string }) => x.name === name);
    assert.equal(c.type, "number");
    assert.equal(c.count, r.count);
    assert.equal(c.nulls, 0);
    assert.equal(c.distinct, r.distinct);
    close(c.mean, r.mean, `${name} mean`);
    close(c.std, r.std, `${name} std`);
    close(c.min, r.min, `${name} min`);
    close(c.max, r.max, `${name} max`);
    ["p05", "p25", "p50", "p75", "p95"].forEach((k, i) => close(c.quantiles[k], r.q[i], `${name} ${k}`));
    close(c.skewness, r.skew, `${name} skewness`);
    assert.equal(c.top_values, undefined);
  }
  const weather = out.columns.find((x: { name: string }) => x.name === "weather");
  assert.deepEqual(weather.top_values, [
    { value: "rain", count: 641 },
    { value: "sun", count: 640 },
    { value: "fog", count: 101 },
    { value: "drizzle", count: 53 },
    { value: "snow", count: 26 },
  ]);
  assert.equal(weather.distinct, 5);
  const date = out.columns.find((x: { name: string }) => x.name === "date");
  assert.equal(date.type, "date");
  assert.equal(date.distinct, 1461);
  assert.equal(date.top_values.length, 10);
});

test("nulls, null rate, ties in top values, a single value, and the columns asked for in their order", async () => {
  // Worked by hand: x = 1, 2, 4, 10 (one null): mean 4.25, sample std √(48.75/3),
  // p25 = 1 + 0.75·(2−1) = 1.75, p50 = 3, p95 = 4 + 0.85·6 = 9.1.
  await writeFile(join(tw.dir, "small.csv"), "x,color,flag,one\n1,red,true,7\n2,blue,false,\n,red,true,\n4,blue,,\n10,green,true,\n");
  ok(await runTool("load_dataset", { path: "small.csv" }, ctx));
  const out = ok(await runTool("get_feature_stats", { dataset_id: "small", columns: ["one", "color", "x", "flag"] }, ctx));
  assert.deepEqual(
    out.columns.map((c: { name: string }) => c.name),
    ["one", "color", "x", "flag"],
  );
  const [one, color, x, flag] = out.columns;
  assert.deepEqual(
    { count: x.count, nulls: x.nulls, null_rate: x.null_rate, distinct: x.distinct, min: x.min, max: x.max },
    { count: 4, nulls: 1, null_rate: 0.2, distinct: 4, min: 1, max: 10 },
  );
  close(x.mean, 4.25, "mean");
  close(x.std, Math.sqrt(48.75 / 3), "std");
  close(x.quantiles.p25, 1.75, "p25");
  close(x.quantiles.p50, 3, "p50");
  close(x.quantiles.p95, 9.1, "p95");
  // Equal counts keep the order of first appearance, as pandas' value_counts.
  assert.deepEqual(color.top_values, [
    { value: "red", count: 2 },
    { value: "blue", count: 2 },
    { value: "green", count: 1 },
  ]);
  assert.equal(flag.type, "boolean");
  assert.deepEqual(flag.top_values, [
    { value: "true", count: 3 },
    { value: "false", count: 1 },
  ]);
  assert.equal(flag.nulls, 1);
  assert.equal(one.count, 1);
  assert.equal(one.std, null, "pandas gives NaN for the std of one value");
  assert.equal(one.skewness, null);
});

test("bad input: an unknown column names it and lists the columns; an unknown dataset lists the known ones", async () => {
  const e = err(await runTool("get_feature_stats", { dataset_id: "weather", columns: ["temp_max", "humidity"] }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /'humidity'/);
  assert.match(e.hint ?? "", /date, precipitation, temp_max, temp_min, wind, weather/);
  const nf = err(await runTool("get_feature_stats", { dataset_id: "nope" }, ctx));
  assert.equal(nf.code, "NOT_FOUND");
  assert.match(nf.hint ?? "", /weather/);
  assert.equal(err(await runTool("get_feature_stats", { dataset_id: "weather", columns: [] }, ctx)).code, "INVALID_INPUT");
});

test('an all-empty numeric column and columns holding ±Infinity are reported as pandas describes them, infinities as "Infinity" and NaN as null', async () => {
  // 40 rows: f holds -1e999 and 1e999 (±∞ to a double, as to pandas), g only +∞, e nothing (a DOUBLE
  // column of nulls, as SQL and Parquet give); the infinities sort to the ends, so every quantile
  // interpolates between finite values (numpy's lerp and dw's agree there).
  const lines = ["x,f,g,e"];
  for (let i = 0; i < 40; i++) lines.push(`${(i * 7) % 13},${i === 5 ? "-1e999" : i === 9 ? "1e999" : i / 4},${i === 2 ? "1e999" : i % 5},`);
  await writeFile(join(tw.dir, "odd.csv"), `${lines.join("\n")}\n`);
  ok(
    await runTool(
      "load_dataset",
      {
        query: "select cast(f as double) as f, cast(g as double) as g, cast(e as double) as e from read_csv('odd.csv', all_varchar = true)",
        dataset_id: "odd",
      },
      ctx,
    ),
  );
  const out = ok(await runTool("get_feature_stats", { dataset_id: "odd", columns: ["f", "g", "e"] }, ctx));
  const script = `
import sys, json, math, pandas as pd
d = pd.read_csv(sys.argv[1], dtype={"e": "float64"})
def j(v):
    v = float(v)
    return None if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity") if math.isinf(v) else v
out = {}
for c in ["f", "g", "e"]:
    s = d[c]
    q = s.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).tolist()
    out[c] = dict(count=int(s.count()), nulls=int(s.isna().sum()), distinct=int(s.nunique()), mean=j(s.mean()), std=j(s.std()), min=j(s.min()), max=j(s.max()),
                  quantiles=dict(zip(["p05", "p25", "p50", "p75", "p95"], [j(v) for v in q])), skewness=j(s.skew()))
json.dump(out, sys.stdout)
`;
  const ref = JSON.parse(execFileSync(python, ["-c", script, join(tw.dir, "odd.csv")], { encoding: "utf8" }));
  const same = (a: unknown, b: unknown, what: string) =>
    typeof a === "number" && typeof b === "number" ? close(a, b, what) : assert.equal(a, b, `${what}: dw ${a}, pandas ${b}`);
  for (const c of out.columns) {
    const r = ref[c.name];
    assert.equal(c.type, "number", c.name);
    for (const k of ["count", "nulls", "distinct"]) assert.equal(c[k], r[k], `${c.name} ${k}`);
    for (const k of ["mean", "std", "min", "max", "skewness"]) same(c[k], r[k], `${c.name} ${k}`);
    for (const k of ["p05", "p25", "p50", "p75", "p95"]) same(c.quantiles[k], r.quantiles[k], `${c.name} ${k}`);
  }
  const [f, g, e] = out.columns;
  // What the comparison covers, spelled out: the cases JSON cannot hold are all there.
  assert.deepEqual([f.min, f.max, f.mean, f.std, g.mean, g.max, g.min], ["-Infinity", "Infinity", null, null, "Infinity", "Infinity", 0]);
  assert.deepEqual(
    { count: e.count, nulls: e.nulls, null_rate: e.null_rate, mean: e.mean, min: e.min, p50: e.quantiles.p50 },
    { count: 0, nulls: 40, null_rate: 1, mean: null, min: null, p50: null },
  );
  // The same from the CSV reader (1e999 read as +∞ there too), and the HTML summary shows what the JSON says.
  ok(await runTool("load_dataset", { path: "odd.csv", dataset_id: "odd_csv" }, ctx));
  const csv = ok(await runTool("get_feature_stats", { dataset_id: "odd_csv", columns: ["f", "g"] }, ctx));
  assert.deepEqual(csv.columns, out.columns.slice(0, 2));
  assert.match(
    renderResultHtml("get_feature_stats", csv),
    /<td[^>]*>-Infinity<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>Infinity<\/td>/,
  );
});
