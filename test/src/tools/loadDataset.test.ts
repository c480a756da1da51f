import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tableFromArrays } from "apache-arrow";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
});
after(async () => tw.cleanup());

const stats = async (id: string) => ok(await runTool("get_feature_stats", { dataset_id: id }, ctx));

test("a CSV loads as before: format csv, the delimiter found, columns typed, and later tools read the cached copy", async () => {
  const out = ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", tags: ["weather", "raw", "weather"] }, ctx));
  assert.equal(out.dataset_id, "seattle-weather");
  assert.equal(out.format, "csv");
  assert.equal(out.delimiter, ",");
  assert.equal(out.rows, 1461);
  assert.deepEqual(out.tags, ["weather", "raw"]);
  assert.deepEqual(out.preview[0], { date: "2012-01-01", precipitation: 0, temp_max: 12.8, temp_min: 5, wind: 4.7, weather: "drizzle" });
  const s = await stats("seattle-weather");
  assert.equal(s.columns.find((c: { name: string }) => c.name === "weather").top_values[0].value, "rain");
});

test("a semicolon CSV with decimal text and a .tsv load with their delimiters", async () => {
  await writeFile(join(tw.dir, "semi.csv"), 'k;v;note\na;1.5;"x; y"\nb;2;z\n');
  const semi = ok(await runTool("load_dataset", { path: "semi.csv" }, ctx));
  assert.equal(semi.delimiter, ";");
  assert.deepEqual(semi.preview, [
    { k: "a", v: 1.5, note: "x; y" },
    { k: "b", v: 2, note: "z" },
  ]);
  await writeFile(join(tw.dir, "t.tsv"), "a\tb\n1\t2\n");
  const tsv = ok(await runTool("load_dataset", { path: "t.tsv" }, ctx));
  assert.equal(tsv.format, "tsv");
  assert.deepEqual(tsv.preview, [{ a: 1, b: 2 }]);
  assert.equal((await stats("t")).columns[1].mean, 2);
});

test("Parquet, Arrow and NDJSON files load, are cached in their own format and read back by other tools", async () => {
  execFileSync(python, [
    "-c",
    `import sys, pyarrow as pa, pyarrow.parquet as pq
t = pa.table({"x": pa.array([1, 2, None, 4], pa.int64()), "c": ["a", "b", "a", None], "ts": pa.array([0, 60_000_000, None, 120_000_000], pa.timestamp("us"))})
pq.write_table(t, sys.argv[1] + "/p.parquet")
with pa.ipc.new_file(sys.argv[1] + "/a.arrow", t.schema) as w: w.write_table(t)`,
    tw.dir,
  ]);
  await writeFile(join(tw.dir, "n.jsonl"), '{"x": 1, "c": "a"}\n{"x": 2}\n');
  for (const [path, format] of [
    ["p.parquet", "parquet"],
    ["a.arrow", "arrow"],
    ["n.jsonl", "ndjson"],
  ]) {
    const out = ok(await runTool("load_dataset", { path }, ctx));
    assert.equal(out.format, format, path);
    assert.equal(out.columns[0].type, "number");
  }
  const p = await stats("p");
  assert.deepEqual(
    p.columns.map((c: { name: string; type: string; nulls: number }) => [c.name, c.type, c.nulls]),
    [
      ["x", "number", 1],
      ["c", "string", 1],
      ["ts", "date", 1],
    ],
  );
  assert.equal(p.columns[0].mean, 7 / 3);
  assert.equal(p.columns[2].top_values[0].value, "1970-01-01T00:00:00");
});

test("kernel values: records, a columnar object and an Arrow table are stored as Arrow IPC files and read back with their types", async () => {
  const records = [
    { city: "Oslo", temp: 3.5, rainy: true, day: "2024-01-01" },
    { city: "Lima", temp: 22, rainy: false, day: "2024-01-02" },
    { city: "Oslo", temp: null, rainy: true, day: new Date("2024-01-03T00:00:00Z") },
  ];
  const r = ok(await runTool("load_dataset", { data: records, dataset_id: "cities", tags: ["kernel"] }, ctx));
  assert.equal(r.format, "arrow");
  assert.equal(r.source, "kernel:cities");
  assert.deepEqual(
    r.columns.map((c: { name: string; type: string; nulls: number }) => [c.name, c.type, c.nulls]),
    [
      ["city", "string", 0],
      ["temp", "number", 1],
      ["rainy", "boolean", 0],
      ["day", "date", 0],
    ],
  );
  assert.deepEqual(r.preview[2], { city: "Oslo", temp: null, rainy: true, day: "2024-01-03T00:00:00Z" });
  const cached = await readFile(join(tw.dir, ".dw", "cache", "sha256", r.sha256.slice(0, 2), r.sha256.slice(2)));
  assert.equal(cached.subarray(0, 6).toString("latin1"), "ARROW1");
  // The same values again hash the same: the cache is content-addressed.
  const again = ok(await runTool("load_dataset", { data: records }, ctx));
  assert.equal(again.sha256, r.sha256);
  assert.equal(again.dataset_id, `kernel-${r.sha256.slice(0, 8)}`);

  const cols = ok(await runTool("load_dataset", { data: { a: [1, 2, 3], b: ["x", "y", "z"], f: new Float64Array([0.5, NaN, 1]) }, dataset_id: "cols" }, ctx));
  assert.deepEqual(cols.preview, [
    { a: 1, b: "x", f: 0.5 },
    { a: 2, b: "y", f: null },
    { a: 3, b: "z", f: 1 },
  ]);

  const table = tableFromArrays({ id: new Int32Array([7, 8]), name: ["p", "q"] });
  const t = ok(await runTool("load_dataset", { data: table, dataset_id: "tbl" }, ctx));
  assert.deepEqual(t.preview, [
    { id: 7, name: "p" },
    { id: 8, name: "q" },
  ]);
  assert.equal((await stats("tbl")).columns[0].mean, 7.5);
});

test("bad sources: none, two, an unknown extension, a missing or empty file, a header-only CSV, ragged columns, a non-table value", async () => {
  const e0 = err(await runTool("load_dataset", {}, ctx));
  assert.equal(e0.code, "INVALID_INPUT");
  assert.match(e0.message, /needs a source: path, data or query/);
  const e2 = err(await runTool("load_dataset", { path: "x.csv", data: [{ a: 1 }] }, ctx));
  assert.match(e2.message, /takes one source, but got path and data/);
  assert.match(
    err(await runTool("load_dataset", { path: "data/seattle-weather.csv", connection: "postgres://x" }, ctx)).message,
    /connection is only used with query/,
  );
  await writeFile(join(tw.dir, "book.xlsx"), "PK");
  const ext = err(await runTool("load_dataset", { path: "book.xlsx" }, ctx));
  assert.equal(ext.code, "INVALID_INPUT");
  assert.match(ext.hint ?? "", /Supported extensions: \.csv/);
  assert.equal(err(await runTool("load_dataset", { path: "nope.csv" }, ctx)).code, "NOT_FOUND");
  assert.match(err(await runTool("load_dataset", { path: "p.parquet", delimiter: ";" }, ctx)).message, /delimiter applies to CSV and TSV files/);
  await writeFile(join(tw.dir, "empty.csv"), "");
  assert.match(err(await runTool("load_dataset", { path: "empty.csv" }, ctx)).message, /empty\.csv is empty/);
  await writeFile(join(tw.dir, "header.csv"), "a,b\n");
  const h = err(await runTool("load_dataset", { path: "header.csv" }, ctx));
  assert.equal(h.code, "DATA_ERROR");
  assert.match(h.message, /has a header \(a, b\) but no data rows/);
  await writeFile(join(tw.dir, "ragged.csv"), "a,b\n1,2\n3\n");
  const rg = err(await runTool("load_dataset", { path: "ragged.csv" }, ctx));
  assert.deepEqual([rg.code, rg.details?.line], ["DATA_ERROR", 3]);
  const uneven = err(await runTool("load_dataset", { data: { a: [1, 2], b: [1] } }, ctx));
  assert.match(uneven.message, /column 'b' has 1 values but 'a' has 2/);
  const word = err(await runTool("load_dataset", { data: "records" }, ctx));
  assert.match(word.message, /data holds the text 'records'/);
  assert.match(err(await runTool("load_dataset", { data: [1, 2] }, ctx)).message, /record 1: expected an object/);
  // Nothing of the failed loads was registered.
  const ids = (await readdir(join(tw.dir, ".dw", "datasets"))).sort();
  assert.ok(!ids.some((f) => /^(empty|header|ragged|book)\.json$/.test(f)), ids.join(","));
});

test("a dataset record written before formats existed (format csv, no delimiter) still reads", async () => {
  const out = ok(await runTool("load_dataset", { path: "semi.csv", dataset_id: "legacy" }, ctx));
  const file = join(tw.dir, ".dw", "datasets", "legacy.json");
  const rec = JSON.parse(await readFile(file, "utf8"));
  delete rec.delimiter;
  await writeFile(file, JSON.stringify(rec));
  assert.equal((await stats("legacy")).rows, out.rows);
});

test("a SQL query over a project file loads through DuckDB, cached as Parquet with its query and engine", async () => {
  const query = "SELECT weather, count(*) AS days, avg(temp_max) AS mean_max FROM 'data/seattle-weather.csv' GROUP BY weather ORDER BY weather";
  const out = ok(await runTool("load_dataset", { query, dataset_id: "by_weather" }, ctx));
  assert.equal(out.format, "parquet");
  assert.equal(out.engine, "duckdb");
  assert.equal(out.query, query);
  assert.equal(out.source, "sql:duckdb");
  assert.equal(out.rows, 5);
  assert.deepEqual(
    out.preview.map((r: { weather: string; days: number }) => [r.weather, r.days]),
    [
      ["drizzle", 53],
      ["fog", 101],
      ["rain", 641],
      ["snow", 26],
      ["sun", 640],
    ],
  );
  const schema = ok(await runTool("get_table_schema", { dataset_id: "by_weather" }, ctx));
  assert.equal(schema.query, query);
  const bad = err(await runTool("load_dataset", { query: "SELECT nope FROM 'data/seattle-weather.csv'" }, ctx));
  assert.equal(bad.code, "SQL_ERROR");
});

test("a later tool reads the registered version, not the file as it is now; a cached copy that is gone is NOT_FOUND to a tool that needs the rows", async () => {
  await writeFile(join(tw.dir, "v.csv"), "x\n1\n2\n");
  ok(await runTool("load_dataset", { path: "v.csv" }, ctx));
  assert.equal((await stats("v")).columns[0].mean, 1.5);
  await writeFile(join(tw.dir, "v.csv"), "x\n10\n20\n");
  assert.equal((await stats("v")).columns[0].mean, 1.5);
  const again = ok(await runTool("load_dataset", { path: "v.csv" }, ctx));
  assert.equal((await stats("v")).columns[0].mean, 15);
  await rm(join(tw.dir, ".dw", "cache", "sha256", again.sha256.slice(0, 2), again.sha256.slice(2)));
  // What was computed from that version's bytes is content-addressed (.dw/cache/profiles/): its
  // statistics are still the statistics of the registered data, so they are still answered.
  assert.equal((await stats("v")).columns[0].mean, 15);
  // A tool that needs the rows themselves cannot answer, and says which bytes it needs.
  const gone = err(await runTool("suggest_features", { dataset_id: "v", target: "x" }, ctx));
  assert.equal(gone.code, "NOT_FOUND");
  assert.match(gone.message, /no longer in \.dw\/cache/);
  assert.ok(gone.message.includes(`sha256 ${again.sha256.slice(0, 12)}`), gone.message);
});
