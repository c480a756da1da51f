#!/usr/bin/env node
// The DuckDB table bench/indatabase.mjs profiles and trains on, in one place so a 100M-row table
// (16 min to generate, 14.3 GB) can be made once and reused by `bench/indatabase.mjs --table-file PATH`:
//
//   node bench/indatabaseTable.mjs PATH ROWS [FEATURES]
//
// x_j: six-decimal values in [-1, 1] from a hash of (row, j); x0 missing in 0.1 % of rows; y linear
// in them plus noise, missing in 0.1 %.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

/** The feature names x0..x{p-1}. */
export const tableFeatures = (p) => Array.from({ length: p }, (_, j) => `x${j}`);

/** The CREATE TABLE t statement for `rows` rows of `p` features, an id and the target y. */
export function tableSql(rows, p) {
  const features = tableFeatures(p);
  const val = (id, j) => `CAST(hash(${id}, ${j}) % 2000001 AS DOUBLE) / 1000000 - 1`;
  const columnsSql = (id) =>
    features.map((f, j) => (j === 0 ? `CASE WHEN ${id} % 1000 = 7 THEN NULL ELSE ${val(id, j)} END AS ${f}` : `${val(id, j)} AS ${f}`)).join(", ");
  const ySql = `CASE WHEN id % 997 = 3 THEN NULL ELSE 1.5 + ${features.map((f, j) => `${((j % 5) - 2) * 0.75 + 0.1} * COALESCE(${f}, 0)`).join(" + ")} + (CAST(hash(id, -1) % 1000 AS DOUBLE) / 1000 - 0.5) END AS y`;
  return `CREATE TABLE t AS SELECT *, ${ySql} FROM (SELECT range AS id, ${columnsSql("range")} FROM range(${rows}))`;
}

/** Writes table t into a new DuckDB database file. */
export async function createTable(file, rows, p) {
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  try {
    await conn.run(tableSql(rows, p));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/**
 * Whether `file` already holds table t with `rows` rows and the columns id, x0..x{p-1}, y (what
 * --table-file reuses instead of generating again); false when the file does not exist.
 */
export async function tableMatches(file, rows, p) {
  let db;
  try {
    db = await DuckDBInstance.create(file, { access_mode: "READ_ONLY" });
  } catch {
    return false;
  }
  const conn = await db.connect();
  try {
    const cols = (
      await (await conn.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position")).getRows()
    ).map((r) => r[0]);
    if (cols.join(",") !== ["id", ...tableFeatures(p), "y"].join(",")) return false;
    const n = (await (await conn.runAndReadAll("SELECT count(*) FROM t")).getRows())[0][0];
    return Number(n) === rows;
  } catch {
    return false;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, rows, p = "19"] = process.argv.slice(2);
  if (!file || !rows) throw new Error("usage: node bench/indatabaseTable.mjs PATH ROWS [FEATURES]");
  const t0 = performance.now();
  await createTable(file, Number(rows), Number(p));
  console.log(`table t (${Number(rows).toLocaleString("en-US")} rows) written to ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
