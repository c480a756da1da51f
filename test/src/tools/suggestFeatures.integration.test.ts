import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { parseCsv } from "../../../src/data/parseCsv.js";
import type { NumberColumn, TextColumn } from "../../../src/data/Dataset.js";
import { binCount, discretizeNumbers, discretizeText, mutualInformation, pearson } from "../../../src/models/dependence.js";
import { ok, err } from "../../helpers/results.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
let tw: TempWorkspace;
let ctx: ToolContext;

/** A small seeded generator, so the synthetic columns are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  // seattle-weather plus: a row id, a leaked copy of temp_max (in °F), a constant station, a
  // numeric code of the weather class (leaks the class), and a column missing in 70% of rows.
  const lines = (await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n");
  const codes: Record<string, number> = { drizzle: 0, rain: 1, sun: 2, snow: 3, fog: 4 };
  const rnd = lcg(7);
  const out = [`row_id,${lines[0]},temp_max_f,station,weather_code,sparse`];
  lines.slice(1).forEach((line, i) => {
    const f = line.split(",");
    out.push([i + 1, line, (Number(f[2]) * 1.8 + 32).toFixed(2), "SEA", codes[f[5]], rnd() < 0.7 ? "" : rnd().toFixed(3)].join(","));
  });
  await writeFile(join(tw.dir, "data", "weather-plus.csv"), out.join("\n") + "\n");
  // Datasets that share keys with it: every weather class and one more; ids 1..100 and 5001..5100.
  await writeFile(join(tw.dir, "data", "weather-types.csv"), "weather,description\ndrizzle,light rain\nrain,rain\nsun,clear\nsnow,snow\nfog,fog\nhail,hail\n");
  const notes = ["row_id,note"];
  for (let i = 1; i <= 100; i++) notes.push(`${i},n${i}`, `${5000 + i},m${i}`);
  await writeFile(join(tw.dir, "data", "notes.csv"), notes.join("\n") + "\n");
  // y = a·b + noise: neither a nor b alone says much, their product says nearly all.
  const gen = lcg(11);
  const syn = ["a,b,c,y"];
  for (let i = 0; i < 800; i++) {
    const a = gen() * 2 - 1;
    const b = gen() * 2 - 1;
    const c = gen();
    syn.push([a, b, c, a * b + 0.02 * (gen() - 0.5)].map((v) => v.toFixed(5)).join(","));
  }
  await writeFile(join(tw.dir, "data", "synthetic.csv"), syn.join("\n") + "\n");
  for (const [path, id] of [
    ["data/seattle-weather.csv", "weather"],
    ["data/seattle-weather.csv", "weather-copy"],
    ["data/weather-plus.csv", "weather-plus"],
    ["data/weather-types.csv", "weather-types"],
    ["data/notes.csv", "notes"],
    ["data/synthetic.csv", "synthetic"],
  ])
    ok(await runTool("load_dataset", { path, dataset_id: id }, ctx));
});
after(async () => tw.cleanup());

test("seattle-weather, temp_max: temp_min ranks first by correlation, strongly related but not leakage; transforms from the data", async () => {
  const out = ok(await runTool("suggest_features", { dataset_id: "weather", target: "temp_max" }, ctx));
  assert.equal(out.task, "regression");
  assert.equal(out.rows_used, 1461);
  assert.deepEqual(out.flags, []);
  assert.equal(out.features[0].name, "temp_min");
  assert.ok(out.features[0].correlation > 0.85 && out.features[0].correlation < 0.9, `r ${out.features[0].correlation}`);
  assert.deepEqual(
    out.features.map((f: { rank: number }) => f.rank),
    [1, 2, 3, 4, 5],
  );
  for (let i = 1; i < out.features.length; i++) assert.ok(out.features[i - 1].score >= out.features[i].score);
  const by = (t: string, c: string) => out.transforms.find((x: { transform: string; column: string }) => x.transform === t && x.column === c);
  assert.ok(by("log1p", "precipitation"), "precipitation is skewed and never negative");
  assert.match(by("log1p", "precipitation").reason, /skewness 3\.5/);
  assert.deepEqual(by("one_hot", "weather").new_columns, ["weather=rain", "weather=sun", "weather=fog", "weather=drizzle", "weather=snow"]);
  assert.deepEqual(by("date_parts", "date").new_columns, ["date_year", "date_month", "date_day_of_week", "date_day_of_year"]);
  assert.equal(by("log1p", "temp_max"), undefined, "temp_max is not skewed");
  assert.equal(out.features.find((f: { name: string }) => f.name === "weather").correlation, undefined, "no correlation for text");
  // weather-copy is the same file under another id: the same data, not something to join.
  assert.deepEqual(out.joins.map((j: { dataset_id: string; column: string }) => `${j.dataset_id}.${j.column}`).sort(), [
    "weather-plus.date",
    "weather-plus.weather",
    "weather-types.weather",
  ]);
});

test("scores come from the data: correlation equals numpy's, mutual information equals scikit-learn's less (kx−1)(ky−1)/2n", async () => {
  const out = ok(await runTool("suggest_features", { dataset_id: "weather", target: "temp_max" }, ctx));
  const ds = parseCsv(await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8"), "seattle-weather.csv");
  const col = (n: string) => ds.columns.find((c) => c.name === n)!;
  const y = (col("temp_max") as NumberColumn).values;
  const bins = binCount(ds.rows);
  const yc = discretizeNumbers(y, bins);
  const xs = { temp_min: discretizeNumbers((col("temp_min") as NumberColumn).values, bins), weather: discretizeText((col("weather") as TextColumn).values) };
  const script = `
import sys, json, numpy as np
from sklearn.metrics import mutual_info_score
d = json.load(sys.stdin)
json.dump(dict(r=float(np.corrcoef(d["x"], d["y"])[0, 1]), mi={k: float(mutual_info_score(v, d["yc"])) for k, v in d["codes"].items()}), sys.stdout)
`;
  const input = JSON.stringify({
    x: [...(col("temp_min") as NumberColumn).values],
    y: [...y],
    yc: [...yc.codes],
    codes: Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, [...v.codes]])),
  });
  const ref = JSON.parse(execFileSync(python, ["-c", script], { input, encoding: "utf8" }));
  const feature = (n: string) => out.features.find((f: { name: string }) => f.name === n);
  assert.ok(Math.abs(feature("temp_min").correlation - ref.r) < 1e-12);
  assert.ok(Math.abs(pearson((col("temp_min") as NumberColumn).values, y) - ref.r) < 1e-12);
  for (const [name, codes] of Object.entries(xs)) {
    const mi = mutualInformation(codes, yc);
    assert.ok(Math.abs(mi.plugin - ref.mi[name]) < 1e-12, `${name}: dw ${mi.plugin}, sklearn ${ref.mi[name]}`);
    assert.ok(Math.abs(feature(name).mutual_information - (ref.mi[name] - ((codes.k - 1) * (yc.k - 1)) / (2 * ds.rows))) < 1e-12);
  }
});

test("flags: a leaked copy of the target, a row id, a constant and a mostly-missing column; joins on shared keys", async () => {
  const out = ok(await runTool("suggest_features", { dataset_id: "weather-plus", target: "temp_max" }, ctx));
  const flag = (c: string) => out.flags.filter((f: { column: string }) => f.column === c).map((f: { kind: string }) => f.kind);
  assert.deepEqual(flag("temp_max_f"), ["leakage"]);
  assert.deepEqual(flag("row_id"), ["id_like"]);
  assert.deepEqual(flag("station"), ["constant"]);
  assert.deepEqual(flag("sparse"), ["high_nulls"]);
  assert.deepEqual(flag("temp_min"), [], "highly correlated is not leakage");
  const names = out.features.map((f: { name: string }) => f.name);
  for (const c of ["temp_max_f", "row_id", "station"]) assert.ok(!names.includes(c), `${c} is left out of the ranking`);
  assert.ok(names.includes("sparse"));
  assert.equal(names[0], "temp_min");

  const joins = Object.fromEntries(out.joins.map((j: { dataset_id: string; column: string }) => [`${j.dataset_id}.${j.column}`, j]));
  assert.deepEqual(Object.keys(joins).sort(), [
    "notes.row_id",
    "weather-copy.date",
    "weather-copy.weather",
    "weather-types.weather",
    "weather.date",
    "weather.weather",
  ]);
  assert.equal(joins["weather.date"].overlap, 1);
  assert.equal(joins["weather-types.weather"].overlap, 1);
  assert.equal(joins["weather-types.weather"].row_overlap, 1);
  assert.equal(joins["notes.row_id"].overlap, 100 / 1461);

  // A class coded as a number leaks a classification target through mutual information.
  const cls = ok(await runTool("suggest_features", { dataset_id: "weather-plus", target: "weather", max_features: 2 }, ctx));
  assert.equal(cls.task, "classification");
  assert.ok(
    cls.flags.some(
      (f: { column: string; kind: string; reason: string }) => f.column === "weather_code" && f.kind === "leakage" && /information/.test(f.reason),
    ),
  );
  assert.equal(cls.features.length, 2);
  assert.equal(cls.features[0].name, "precipitation");
});

test("an interaction is proposed when the product explains what neither factor does", async () => {
  const out = ok(await runTool("suggest_features", { dataset_id: "synthetic", target: "y" }, ctx));
  const inter = out.transforms.filter((t: { transform: string }) => t.transform === "interaction");
  assert.equal(inter.length, 1, JSON.stringify(out.transforms));
  assert.deepEqual([...inter[0].inputs].sort(), ["a", "b"]);
  assert.equal(inter[0].column, `${inter[0].inputs[0]}*${inter[0].inputs[1]}`);
  for (const f of out.features) assert.ok(Math.abs(f.correlation) < 0.15, `${f.name} alone: r ${f.correlation}`);
  const seattle = ok(await runTool("suggest_features", { dataset_id: "weather", target: "temp_max" }, ctx));
  assert.equal(seattle.transforms.filter((t: { transform: string }) => t.transform === "interaction").length, 0, "none that does not beat its factors");
});

test("bad input: unknown dataset, unknown target, constant target, date target, regression on text", async () => {
  const nf = err(await runTool("suggest_features", { dataset_id: "nope", target: "x" }, ctx));
  assert.equal(nf.code, "NOT_FOUND");
  const unknown = err(await runTool("suggest_features", { dataset_id: "weather", target: "humidity" }, ctx));
  assert.equal(unknown.code, "INVALID_INPUT");
  assert.match(unknown.message, /'humidity'/);
  assert.match(unknown.hint ?? "", /temp_max/);
  const constant = err(await runTool("suggest_features", { dataset_id: "weather-plus", target: "station" }, ctx));
  assert.equal(constant.code, "DATA_ERROR");
  assert.match(constant.message, /'station' has one value \('SEA'\)/);
  assert.equal(err(await runTool("suggest_features", { dataset_id: "weather", target: "date" }, ctx)).code, "INVALID_INPUT");
  assert.match(err(await runTool("suggest_features", { dataset_id: "weather", target: "weather", task: "regression" }, ctx)).message, /numeric target/);
  assert.equal(err(await runTool("suggest_features", { dataset_id: "weather", target: "temp_max", max_features: 0 }, ctx)).code, "INVALID_INPUT");
});
