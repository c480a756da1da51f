import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { readDataFile, formatOfPath } from "../../../src/data/readDataFile.js";
import { headRecords, type Dataset } from "../../../src/data/Dataset.js";
import { DwError } from "../../../src/errors/DwError.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
let dir: string;

/**
 * The same small table in every format pyarrow writes: int64 with a null, float with NaN and a
 * null, bool with a null, dictionary strings, a UTC timestamp, a naive timestamp, a date.
 */
const WRITE = `
import sys, datetime as dt, pyarrow as pa, pyarrow.parquet as pq, pyarrow.feather as feather
out = sys.argv[1]
t = pa.table({
  "n": pa.array([1, None, 3, 4], pa.int64()),
  "x": pa.array([0.5, float("nan"), None, -2.25], pa.float64()),
  "f32": pa.array([1.5, 2.5, 3.5, 4.5], pa.float32()),
  "ok": pa.array([True, False, None, True]),
  "city": pa.array(["Oslo", "Lima", "Oslo", None]).dictionary_encode(),
  "plain": pa.array(["a", "b", "c", "d"], pa.large_string()),
  "at": pa.array([dt.datetime(2024, 1, 31, 10, 0), dt.datetime(2024, 2, 1, 11, 30, 0, 250000), None, dt.datetime(2024, 2, 2)], pa.timestamp("us", tz="UTC")),
  "naive": pa.array([dt.datetime(2001, 1, 1, 0, 1)] * 4, pa.timestamp("ms")),
  "day": pa.array([dt.date(2024, 1, 31), dt.date(2024, 2, 29), None, dt.date(1999, 12, 31)], pa.date32()),
})
pq.write_table(t, out + "/t.snappy.parquet", compression="snappy")
pq.write_table(t, out + "/t.zstd.parquet", compression="zstd", row_group_size=2)
pq.write_table(t, out + "/t.gzip.parquet", compression="gzip", use_dictionary=False)
with pa.ipc.new_file(out + "/t.arrow", t.schema) as w: w.write_table(t)
with pa.ipc.new_stream(out + "/t.arrows", t.schema) as w: w.write_table(t)
with pa.ipc.new_file(out + "/t.batches.arrow", t.schema) as w: w.write_table(t, max_chunksize=3)
feather.write_feather(t, out + "/t.feather", compression="lz4")
feather.write_feather(t, out + "/t.zstd.feather", compression="zstd")
`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-formats-"));
  execFileSync(python, ["-c", WRITE, dir]);
});
after(async () => rm(dir, { recursive: true, force: true }));

function assertFixture(ds: Dataset, what: string): void {
  assert.equal(ds.rows, 4, what);
  assert.deepEqual(
    ds.columns.map((c) => [c.name, c.type, c.nulls]),
    [
      ["n", "number", 1],
      ["x", "number", 2],
      ["f32", "number", 0],
      ["ok", "boolean", 1],
      ["city", "string", 1],
      ["plain", "string", 0],
      ["at", "date", 1],
      ["naive", "date", 0],
      ["day", "date", 1],
    ],
    what,
  );
  assert.deepEqual(
    headRecords(ds, 4),
    [
      { n: 1, x: 0.5, f32: 1.5, ok: true, city: "Oslo", plain: "a", at: "2024-01-31T10:00:00Z", naive: "2001-01-01T00:01:00", day: "2024-01-31" },
      { n: null, x: null, f32: 2.5, ok: false, city: "Lima", plain: "b", at: "2024-02-01T11:30:00.250Z", naive: "2001-01-01T00:01:00", day: "2024-02-29" },
      { n: 3, x: null, f32: 3.5, ok: null, city: "Oslo", plain: "c", at: null, naive: "2001-01-01T00:01:00", day: null },
      { n: 4, x: -2.25, f32: 4.5, ok: true, city: null, plain: "d", at: "2024-02-02T00:00:00Z", naive: "2001-01-01T00:01:00", day: "1999-12-31" },
    ],
    what,
  );
}

test("Parquet written by pyarrow (snappy, zstd in row groups of 2, gzip without dictionaries) reads with the same values and types", async () => {
  for (const f of ["t.snappy.parquet", "t.zstd.parquet", "t.gzip.parquet"]) {
    assertFixture(await readDataFile(join(dir, f), f, formatOfPath(f)), f);
  }
});

test("Arrow IPC file, stream, record batches of 3 and 1 rows, and Feather v2 (lz4 frames, zstd) written by pyarrow read the same", async () => {
  for (const f of ["t.arrow", "t.arrows", "t.batches.arrow", "t.feather", "t.zstd.feather"]) {
    assertFixture(await readDataFile(join(dir, f), f, formatOfPath(f)), f);
  }
});

test("an Arrow table from apache-arrow (typed arrays, strings) reads back", async () => {
  const t = tableFromArrays({ a: new Int32Array([1, 2, 3]), b: ["x", "y", "x"], c: new Float64Array([0.1, NaN, 3]) });
  await writeFile(join(dir, "js.arrow"), tableToIPC(t, "file"));
  const ds = await readDataFile(join(dir, "js.arrow"), "js.arrow", "arrow");
  assert.deepEqual(headRecords(ds, 3), [
    { a: 1, b: "x", c: 0.1 },
    { a: 2, b: "y", c: null },
    { a: 3, b: "x", c: 3 },
  ]);
  assert.equal(ds.columns[2].nulls, 1);
});

test("JSON records and NDJSON: JSON types kept, keys unioned, ISO strings are dates, numeric strings stay text", async () => {
  const records = [
    { id: 1, name: "ann", vip: true, joined: "2024-01-31", score: 1.5, code: "007" },
    { id: 2, name: "bob", vip: false, joined: "2024-02-01T10:00:00Z", code: "008", extra: { a: 1 } },
    { id: 3, name: null, vip: true, joined: null, score: null, code: "009" },
  ];
  await writeFile(join(dir, "r.json"), JSON.stringify(records, null, 2));
  await writeFile(join(dir, "r.ndjson"), records.map((r) => JSON.stringify(r)).join("\n") + "\n\n");
  for (const f of ["r.json", "r.ndjson"]) {
    const ds = await readDataFile(join(dir, f), f, formatOfPath(f));
    assert.deepEqual(
      ds.columns.map((c) => [c.name, c.type, c.nulls]),
      [
        ["id", "number", 0],
        ["name", "string", 1],
        ["vip", "boolean", 0],
        ["joined", "date", 1],
        ["score", "number", 2],
        ["code", "string", 0],
        ["extra", "string", 2],
      ],
      f,
    );
    assert.deepEqual(headRecords(ds, 2)[1], { id: 2, name: "bob", vip: false, joined: "2024-02-01T10:00:00Z", score: null, code: "008", extra: '{"a":1}' });
  }
  await writeFile(join(dir, "cols.json"), JSON.stringify({ a: [1, 2], b: ["x", "y"] }));
  assert.deepEqual(headRecords(await readDataFile(join(dir, "cols.json"), "cols.json", "json"), 2), [
    { a: 1, b: "x" },
    { a: 2, b: "y" },
  ]);
  await writeFile(join(dir, "wrapped.json"), JSON.stringify({ data: [{ a: 1 }, { a: 2, b: "y" }] }));
  assert.deepEqual(headRecords(await readDataFile(join(dir, "wrapped.json"), "wrapped.json", "json"), 2), [
    { a: 1, b: null },
    { a: 2, b: "y" },
  ]);
});

test("bad JSON, NDJSON and Parquet are DATA_ERRORs naming the file and, for text, the line", async () => {
  const fails = async (name: string, content: string, line: number | undefined, message: RegExp) => {
    await writeFile(join(dir, name), content);
    await assert.rejects(readDataFile(join(dir, name), name, formatOfPath(name)), (e: unknown) => {
      assert.ok(e instanceof DwError);
      assert.equal(e.code, "DATA_ERROR");
      assert.equal(e.details?.line, line);
      assert.match(e.message, message);
      return true;
    });
  };
  await fails("bad.ndjson", '{"a": 1}\n{"a": 2}\n{"a": \n', 3, /bad\.ndjson, line 3: not valid JSON/);
  await fails("notobj.ndjson", '{"a": 1}\n\n[1, 2]\n', 3, /line 3: expected an object/);
  await fails("bad.json", '[\n {"a": 1},\n {"a": }\n]', 3, /bad\.json, line 3: not valid JSON/);
  await fails("scalar.json", "42", undefined, /expected an array of records/);
  await fails("empty.json", "  \n", undefined, /is empty/);
  await fails("fake.parquet", "this is not parquet at all", undefined, /fake\.parquet is not a readable Parquet file/);
  await fails("fake.arrow", "nor is this arrow", undefined, /fake\.arrow is not a readable Arrow IPC/);
});

test("unknown extensions are INVALID_INPUT listing the supported ones", () => {
  assert.throws(
    () => formatOfPath("data/book.xlsx"),
    (e: unknown) => {
      assert.ok(e instanceof DwError);
      assert.equal(e.code, "INVALID_INPUT");
      assert.match(e.message, /'data\/book\.xlsx' is a \.xlsx file, which load_dataset does not read/);
      assert.match(e.hint ?? "", /\.csv, .*\.parquet.*\.arrow/);
      return true;
    },
  );
  assert.equal(formatOfPath("X.JSONL"), "ndjson");
});
