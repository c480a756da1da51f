import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { openSqlEngine } from "../../../../src/data/sql/sqlEngine.js";
import { median } from "../../../../src/data/statistics.js";
import { duckdbMedians } from "../../../../src/training/inDatabase/duckdbMedians.js";
import { trainLinearInDatabase } from "../../../../src/training/inDatabase/trainLinearInDatabase.js";
import { referenceFit } from "./linearReference.js";

const ROWS = 4001;
const D = (x: string) => `CAST('${x}' AS DOUBLE)`;
/** Columns (SQL over i = 0…ROWS−1) whose medians take every path of the histogram search. */
const COLUMNS: Record<string, string> = {
  // Distinct, evenly spread values: one histogram finds a middle bucket of a value or two.
  spread: `(i * 7919 % 4001) / 3.0`,
  // Spans 10 orders of magnitude: nearly everything lands in the first bucket of an even split.
  skewed: `POWER(10, (i * 7919 % 4001) / 400.0)`,
  // A third of the rows hold the median's value exactly: a bucket no split can shrink.
  ties: `CASE WHEN i % 3 = 0 THEN 5.0 ELSE CAST(i % 11 AS DOUBLE) END`,
  // Missing both ways: NULL, and NaN (dw's missing number).
  missing: `CASE WHEN i % 5 = 0 THEN NULL WHEN i % 7 = 0 THEN ${D("NaN")} ELSE (i % 13) - 6.5 END`,
  // The middle values are zeros, some -0: Float64Array order puts -0 first, SQL calls them equal.
  zeros: `CASE WHEN i % 4 = 0 THEN ${D("-0")} WHEN i % 4 = 1 THEN 0.0 WHEN i % 8 = 2 THEN -1.0 ELSE 1.0 END`,
  negativeZeros: `CASE WHEN i % 3 = 0 THEN ${D("-0")} WHEN i % 3 = 1 THEN -2.0 ELSE 2.0 END`,
  constant: `3.25`,
  // Half at −1, half at +1 (and odd rows missing an even count): the two middle values sit in the first and last buckets.
  straddle: `CASE WHEN i = 4000 THEN NULL WHEN i % 2 = 0 THEN -1.0 ELSE 1.0 END`,
  // Infinities of both signs, and a median at +∞.
  infinite: `CASE WHEN i % 3 = 0 THEN ${D("-Infinity")} WHEN i % 3 = 1 THEN ${D("Infinity")} ELSE CAST(i AS DOUBLE) END`,
  mostlyInfinite: `CASE WHEN i % 5 = 0 THEN CAST(i AS DOUBLE) ELSE ${D("Infinity")} END`,
  // Subnormals a few apart: no bucket arithmetic splits them, so the set is fetched whole.
  subnormal: `CASE WHEN i % 3 = 0 THEN 0.0 ELSE ${D("5e-324")} * (i % 4) END`,
  // Two values near the largest double: their difference overflows.
  huge: `CASE WHEN i % 2 = 0 THEN ${D("-1.7e308")} ELSE ${D("1.7e308")} * ((i % 10) / 10.0) END`,
};
const NAMES = Object.keys(COLUMNS);

async function tableFile(dir: string): Promise<string> {
  const file = join(dir, "data", "m.duckdb");
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  await conn.run(
    `CREATE TABLE m AS SELECT i, ${NAMES.map((n) => `CAST(${COLUMNS[n]} AS DOUBLE) AS ${n}`).join(", ")}, CAST(i % 17 AS DOUBLE) AS y FROM range(${ROWS}) AS r(i)`,
  );
  conn.closeSync();
  db.closeSync();
  return "duckdb:data/m.duckdb";
}

/**
 * The rows a query selects, read straight from the database file: the export (loadSqlDataset's
 * Parquet) writes every zero of a column as the first one its dictionary saw, -0 or 0, so it
 * cannot tell which middle value is -0.
 */
async function readRows(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(join(dir, "data", "m.duckdb"), { access_mode: "READ_ONLY" });
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** dw's median of a column's exported values (NULL and NaN left out), the reference every path must equal bit for bit. */
const reference = (rows: Record<string, unknown>[], name: string) =>
  median(rows.map((r) => (r[name] === null || r[name] === undefined ? NaN : Number(r[name]))).filter((x) => x === x));

test("exact medians from bucket counts equal dw's median of the exported values, bit for bit, however finely split", async () => {
  const ws = await makeTempWorkspace();
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const connection = await tableFile(ws.dir);
    const rows = await readRows(ws.dir, "SELECT * FROM m");
    assert.equal(rows.length, ROWS);
    assert.ok(rows.some((r) => Object.is(r.zeros, -0)) && rows.some((r) => Object.is(r.zeros, 0)), "the reference sees -0 and 0 apart");
    const expected = NAMES.map((n) => reference(rows, n));
    assert.ok(Object.is(expected[NAMES.indexOf("negativeZeros")], -0) && Object.is(expected[NAMES.indexOf("straddle")], 0));
    assert.equal(expected[NAMES.indexOf("mostlyInfinite")], Infinity);

    const db = await openSqlEngine(ctx, { table: "m", connection }, { readInPlace: true });
    try {
      const from = `(SELECT ${NAMES.map((n, j) => `NULLIF(${n}, ${D("NaN")}) AS f${j}`).join(", ")} FROM m) AS d`;
      const stats = NAMES.map((_, j) => `COUNT(f${j}), MIN(f${j}) FILTER (WHERE isfinite(f${j})), MAX(f${j}) FILTER (WHERE isfinite(f${j}))`).join(", ");
      const [s] = await db.all(`SELECT ${stats} FROM ${from}`);
      const columns = NAMES.map((_, j) => ({
        column: `f${j}`,
        count: Number(s[3 * j]),
        min: s[3 * j + 1] === null ? null : Number(s[3 * j + 1]),
        max: s[3 * j + 2] === null ? null : Number(s[3 * j + 2]),
      }));
      // From one histogram and one fetch (the defaults) to a split into 2 buckets until one value is left.
      for (const splitting of [{}, { buckets: 16, fetchAtMost: 50 }, { buckets: 3, fetchAtMost: 7 }, { buckets: 2, fetchAtMost: 1 }]) {
        const log: string[] = [];
        const got = await duckdbMedians(db, from, columns, log, splitting);
        NAMES.forEach((n, j) => assert.ok(Object.is(got[j], expected[j]), `${n} with ${JSON.stringify(splitting)}: ${got[j]} vs ${expected[j]}`));
        if (!splitting.buckets) assert.equal(log.length, 1, "columns of up to 100,000 values are fetched in one scan");
        else assert.ok(log.length > 2, "small buckets take several histogram passes");
      }
      // Past the fetch size, a spread column takes one histogram scan and one fetch of its middle bucket
      // (with 65,536 buckets that bucket holds one value, which the histogram's MIN already gives).
      const log: string[] = [];
      assert.ok(Object.is((await duckdbMedians(db, from, [columns[0]], log, { buckets: 16, fetchAtMost: 1000 }))[0], expected[0]));
      assert.equal(log.length, 2);
      const one: string[] = [];
      assert.ok(Object.is((await duckdbMedians(db, from, [columns[0]], one, { fetchAtMost: 1000 }))[0], expected[0]));
      assert.equal(one.length, 1);
      assert.match(log[0], /GROUP BY k/);
      assert.match(log[1], /list\(f0\) FILTER/);
    } finally {
      await db.close();
    }
  } finally {
    await ws.cleanup();
  }
});

test("the in-database fit imputes with those medians, equal to the exported training rows' (skew, ties, NaN, -0, a constant, a straddle)", async () => {
  const ws = await makeTempWorkspace();
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const connection = await tableFile(ws.dir);
    // Infinite features make the moments infinite: those are checked above, not fitted.
    const features = ["skewed", "ties", "missing", "zeros", "negativeZeros", "constant", "straddle"];
    const m = await trainLinearInDatabase(ctx, { source: { table: "m", connection }, target: "y", features, testSize: 0.3, seed: 5 });
    const train = await readRows(ws.dir, m.sql.train_rows);
    assert.equal(train.length, m.rows.train);
    const ref = referenceFit(train, [], features, "y", Object.fromEntries(features.map((f) => [f, "number" as const])));
    features.forEach((f, j) => assert.ok(Object.is(m.pipeline.steps[j].impute, ref.impute[j]), `${f}: ${m.pipeline.steps[j].impute} vs ${ref.impute[j]}`));
    assert.equal(m.sql.impute.length, 2, "the counts scan, then one scan fetching every column (fewer than 100,000 values each)");
  } finally {
    await ws.cleanup();
  }
});
