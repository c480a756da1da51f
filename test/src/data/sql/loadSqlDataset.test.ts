import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects, parquetSchema, parquetMetadataAsync } from "hyparquet";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { ok } from "../../../helpers/results.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { runTool } from "../../../../src/tools/runTool.js";
import { loadSqlDataset } from "../../../../src/data/sql/loadSqlDataset.js";
import { DwError } from "../../../../src/errors/DwError.js";

async function readParquet(file: string) {
  const buf = await asyncBufferFromFile(file);
  const meta = await parquetMetadataAsync(buf);
  const schema = parquetSchema(meta).children.map((c) => ({
    name: c.element.name,
    type: c.element.type,
    logical: c.element.logical_type?.type,
    converted: c.element.converted_type,
  }));
  return { rows: await parquetReadObjects({ file: buf }), schema };
}

async function rejectsWith(p: Promise<unknown>, code: string, check: (e: DwError) => void = () => undefined): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DwError, `expected a DwError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    check(e);
    return true;
  });
}

test("DuckDB: a query over a CSV file by relative path gives a typed Parquet file", async () => {
  const ws = await makeTempWorkspace();
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const out = await loadSqlDataset(ctx, {
      query: `SELECT weather, count(*) AS days, avg(temp_max) AS mean_max, min(date) AS first_day,
                     max(date)::TIMESTAMP AS last_ts, bool_or(precipitation > 50) AS wet,
                     sum(precipitation)::DECIMAL(12,2) AS total_rain
              FROM 'data/seattle-weather.csv' GROUP BY weather ORDER BY days DESC; -- trailing comment`,
    });
    try {
      assert.equal(out.engine, "duckdb");
      assert.equal(out.connection, "duckdb");
      const { rows, schema } = await readParquet(out.file);
      assert.deepEqual(rows.map((r) => r.weather).sort(), ["drizzle", "fog", "rain", "snow", "sun"]);
      const days = rows.map((r) => Number(r.days));
      assert.deepEqual(
        days,
        [...days].sort((a, b) => b - a),
        "ORDER BY survives",
      );
      assert.equal(
        rows.reduce((s, r) => s + Number(r.days), 0),
        1461,
      );
      const rain = rows.find((r) => r.weather === "rain")!;
      assert.ok(Number.isFinite(rain.mean_max), `mean_max ${rain.mean_max}`);
      assert.equal(typeof rain.wet, "boolean");
      assert.ok(rain.first_day instanceof Date && rain.first_day.toISOString().startsWith("2012-01-"), String(rain.first_day));
      assert.ok(rain.last_ts instanceof Date);
      // DECIMAL is written as DOUBLE so every reader sees a plain number.
      assert.ok(Number.isFinite(rain.total_rain), `total_rain ${rain.total_rain}`);
      const types = Object.fromEntries(schema.map((c) => [c.name, c.type]));
      assert.equal(types.weather, "BYTE_ARRAY");
      assert.equal(types.mean_max, "DOUBLE");
      assert.equal(types.total_rain, "DOUBLE");
      assert.equal(types.wet, "BOOLEAN");
      assert.equal(types.first_day, "INT32");
    } finally {
      await out.cleanup();
    }
    assert.equal(existsSync(out.file), false, "cleanup removes the file");
  } finally {
    await ws.cleanup();
  }
});

test("DuckDB: a registered dataset is a view named after its dataset_id, reading the cached version", async () => {
  const ws = await makeTempWorkspace();
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
    // The working copy changes after loading; the view must still read what was registered.
    await writeFile(join(ws.dir, "data", "seattle-weather.csv"), "date,weather\n2020-01-01,sun\n");
    const out = await loadSqlDataset(ctx, { query: 'SELECT count(*) AS n, count(DISTINCT weather) AS kinds FROM "weather"' });
    try {
      const { rows } = await readParquet(out.file);
      assert.deepEqual(
        rows.map((r) => [Number(r.n), Number(r.kinds)]),
        [[1461, 5]],
      );
    } finally {
      await out.cleanup();
    }
  } finally {
    await ws.cleanup();
  }
});

test("DuckDB errors: the database's message with the query and the line and column it points at", async () => {
  const ws = await makeTempWorkspace();
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const query = "SELECT weather,\n       temp_maxx\nFROM 'data/seattle-weather.csv'";
    await rejectsWith(loadSqlDataset(ctx, { query }), "SQL_ERROR", (e) => {
      assert.match(e.message, /^DuckDB rejected the query: Binder Error: Referenced column "temp_maxx" not found/);
      assert.equal(e.details?.query, query);
      assert.equal(e.details?.line, 2);
      assert.equal(e.details?.column, 8);
    });
    await rejectsWith(loadSqlDataset(ctx, { query: "SELECT * FROM no_such_table" }), "SQL_ERROR", (e) => {
      assert.match(e.message, /Table with name no_such_table does not exist/);
      assert.match(e.hint ?? "", /registered datasets/);
    });
    await rejectsWith(loadSqlDataset(ctx, { query: "SELECT * FROM 'data/missing.csv'" }), "SQL_ERROR", (e) =>
      assert.match(e.message, /No files found that match the pattern "data\/missing.csv"/),
    );
    await rejectsWith(loadSqlDataset(ctx, { query: "SELECT 1; SELECT 2" }), "SQL_ERROR", (e) => assert.match(e.message, /holds 2 statements/));
    await rejectsWith(loadSqlDataset(ctx, { query: "CREATE TABLE t (a INT)" }), "SQL_ERROR", (e) => assert.match(e.message, /does not return rows/));
    await rejectsWith(loadSqlDataset(ctx, { query: "SELECT 1 AS a, 2 AS a" }), "SQL_ERROR", (e) => assert.match(e.message, /two columns named 'a'/));
    await rejectsWith(loadSqlDataset(ctx, { query: " ;\n" }), "INVALID_INPUT");
    await rejectsWith(loadSqlDataset(ctx, { query: "SELECT 1", connection: "nowhere" }), "CONFIG_ERROR", (e) =>
      assert.match(e.message, /DW_CONNECTION_NOWHERE is not set/),
    );
  } finally {
    await ws.cleanup();
  }
});

test("DuckDB: a dataset from kernel values (cached as Arrow) is a table with its types, nulls and text", async () => {
  const ws = await makeTempWorkspace();
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const records = [
      { city: "Oslo", temp: 3.5, rainy: true, seen: "2024-01-31T10:00:00Z" },
      { city: "Lima", temp: null, rainy: false, seen: "2024-02-01T11:30:00Z" },
      { city: "Oslo", temp: -1.25, rainy: null, seen: null },
      { city: "東京", temp: 12, rainy: true, seen: "2024-02-02T00:00:00Z" },
    ];
    ok(await runTool("load_dataset", { data: records, dataset_id: "obs" }, ctx));
    const out = await loadSqlDataset(ctx, {
      query: `SELECT city, count(*) AS n, sum(temp) AS t, count(temp) AS known, bool_or(rainy) AS any_rain, max(CAST(seen AS TIMESTAMP)) AS latest FROM obs GROUP BY city ORDER BY city`,
    });
    try {
      const { rows } = await readParquet(out.file);
      assert.deepEqual(
        rows.map((r) => [r.city, Number(r.n), r.t, Number(r.known), r.any_rain, r.latest === null ? null : new Date(r.latest as Date).toISOString()]),
        [
          ["Lima", 1, null, 0, false, "2024-02-01T11:30:00.000Z"],
          ["Oslo", 2, 2.25, 2, true, "2024-01-31T10:00:00.000Z"],
          ["東京", 1, 12, 1, true, "2024-02-02T00:00:00.000Z"],
        ],
      );
    } finally {
      await out.cleanup();
    }
  } finally {
    await ws.cleanup();
  }
});
