import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { startPostgres, psql, type TestPostgres } from "../../../helpers/postgres.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import type { ToolContext } from "../../../../src/tools/ToolContext.js";
import { loadSqlDataset } from "../../../../src/data/sql/loadSqlDataset.js";
import { profileSqlTable } from "../../../../src/quality/profileSqlTable.js";
import { DwError } from "../../../../src/errors/DwError.js";
import { fixtureRows, toCsv, expectedProfile, assertMatchesOracle, POSTGRES_DDL, REQUEST } from "./profileFixture.js";

let pg: TestPostgres;
let ws: TempWorkspace;
let ctx: ToolContext;
const rows = fixtureRows();

before(async () => {
  pg = await startPostgres();
  ws = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
  const csv = join(ws.dir, "data", "fixture.csv");
  await writeFile(csv, toCsv(rows));
  await psql(pg.url, POSTGRES_DDL);
  // psql's client-side \copy reads the file as this process, so the server needs no access to it.
  await psql(pg.url, `\\copy fixture FROM '${csv}' WITH (FORMAT csv, HEADER true)`);
});

after(async () => {
  await ws?.cleanup();
  await pg?.stop();
});

/** Rows the server sent back to clients for statements since the last reset (pg_stat_statements). */
async function rowsReturnedSinceReset(): Promise<number> {
  const out = await psql(pg.url, "SELECT COALESCE(SUM(rows), 0) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'");
  return Number(out.trim());
}

test("PostgreSQL: profileSqlTable gives the same numbers as the JavaScript oracle and as DuckDB over the same data", async () => {
  const fromPg = await profileSqlTable(ctx, { table: "fixture", connection: pg.url }, REQUEST);
  assertMatchesOracle(fromPg, expectedProfile(rows));
  const fromDuck = await profileSqlTable(ctx, { table: "data/fixture.csv" }, REQUEST);
  const round = (p: unknown) => JSON.parse(JSON.stringify(p, (_k, v) => (typeof v === "number" ? Number(v.toPrecision(10)) : v)));
  assert.deepEqual(round(fromPg), round(fromDuck));
  const fromQuery = await profileSqlTable(ctx, { query: "SELECT * FROM fixture;", connection: pg.url }, REQUEST);
  assert.deepEqual(round(fromQuery), round(fromPg));
});

test("PostgreSQL: the profile is computed in the server; only aggregates come back (pg_stat_statements)", async () => {
  await psql(
    pg.url,
    "CREATE TABLE big AS SELECT i AS id, (i % 1000) * 0.5 AS amount, 'c' || (i % 7) AS segment, (i % 2 = 0) AS churned FROM generate_series(1, 300000) AS i",
  );
  await psql(pg.url, "SELECT pg_stat_statements_reset()");
  const p = await profileSqlTable(ctx, { table: "big", connection: pg.url }, { target: "churned", topK: 5 });
  assert.equal(p.rows, 300_000);
  assert.equal(p.columns.find((c) => c.name === "segment")?.distinct, 7);
  const returned = await rowsReturnedSinceReset();
  assert.ok(returned < 100, `the profile fetched ${returned} rows; it must fetch aggregates only`);
  // The same measurement does see rows when they are pulled: loading the table sends all of them.
  await psql(pg.url, "SELECT pg_stat_statements_reset()");
  const out = await loadSqlDataset(ctx, { query: "SELECT * FROM big", connection: pg.url });
  await out.cleanup();
  assert.ok((await rowsReturnedSinceReset()) >= 300_000);
});

// How long a load or a refused connection takes is bench/postgres.mjs's (`npm run bench`).
test("PostgreSQL: loadSqlDataset streams a query's result to Parquet with its types; the password stays out", async () => {
  const out = await loadSqlDataset(ctx, {
    query: "SELECT id, x, cat, flag, d, ts, y, ts AT TIME ZONE 'Europe/Paris' AS tz FROM fixture WHERE id < 100 ORDER BY id",
    connection: pg.url,
  });
  try {
    assert.equal(out.engine, "postgres");
    assert.equal(out.connection, `postgres://${pg.user}@${pg.host}:${pg.port}/dw`);
    assert.ok(!out.connection.includes(pg.password));
    const got = await parquetReadObjects({ file: await asyncBufferFromFile(out.file) });
    assert.equal(got.length, 100 + rows.filter((r, i) => i >= 2000 && r.id < 100).length);
    const first = got[0];
    assert.equal(Number(first.id), 0);
    assert.equal(first.x, null);
    assert.equal(first.flag, true);
    assert.equal((first.d as Date).toISOString(), "2020-01-01T00:00:00.000Z");
    assert.equal((first.ts as Date).toISOString(), "2021-01-01T00:00:00.000Z");
    assert.equal((first.tz as Date).toISOString(), "2020-12-31T23:00:00.000Z");
    const second = got.find((r) => Number(r.id) === 1)!;
    assert.ok(Number.isFinite(second.x), `x ${second.x}`);
    assert.equal(second.x, rows[1].x);
    assert.equal(second.y, rows[1].y);
    assert.equal(second.cat, rows[1].cat);
  } finally {
    await out.cleanup();
  }
});

test("PostgreSQL: a SQL error carries the server's message, the query and the line and column", async () => {
  const query = "SELECT id,\n  xx\nFROM fixture";
  await assert.rejects(loadSqlDataset(ctx, { query, connection: pg.url }), (e: unknown) => {
    assert.ok(e instanceof DwError);
    assert.equal(e.code, "SQL_ERROR");
    assert.match(e.message, /PostgreSQL rejected the query: column "xx" does not exist/);
    assert.deepEqual([e.details?.query, e.details?.line, e.details?.column, e.details?.sqlstate], [query, 2, 3, "42703"]);
    return true;
  });
  await assert.rejects(
    profileSqlTable(ctx, { table: "no_such", connection: pg.url }, {}),
    (e: unknown) => e instanceof DwError && e.code === "SQL_ERROR" && /relation "no_such" does not exist/.test(e.message),
  );
  // Reads only: the server itself refuses a write in dw's read-only transaction.
  await assert.rejects(
    loadSqlDataset(ctx, { query: "WITH gone AS (DELETE FROM fixture RETURNING id) SELECT * FROM gone", connection: pg.url }),
    (e: unknown) => e instanceof DwError && e.code === "SQL_ERROR",
  );
  assert.equal(Number(await psql(pg.url, "SELECT count(*) FROM fixture")), rows.length);
});

test("PostgreSQL: an unreachable server or a wrong password is CONNECTION_ERROR, without the password", async () => {
  const down = `postgres://dw:s3cret@127.0.0.1:1/dw`;
  await assert.rejects(loadSqlDataset(ctx, { query: "SELECT 1", connection: down }), (e: unknown) => {
    assert.ok(e instanceof DwError);
    assert.equal(e.code, "CONNECTION_ERROR");
    assert.match(e.message, /127\.0\.0\.1:1/);
    assert.ok(!JSON.stringify(e.toJSON()).includes("s3cret"));
    return true;
  });
  const wrong = pg.url.replace(encodeURIComponent(pg.password), "wrong-password");
  await assert.rejects(profileSqlTable(ctx, { table: "fixture", connection: wrong }, {}), (e: unknown) => {
    assert.ok(e instanceof DwError);
    assert.equal(e.code, "CONNECTION_ERROR");
    assert.match(e.message, /password authentication failed/);
    assert.match(e.hint ?? "", /user name and password/);
    assert.ok(!JSON.stringify(e.toJSON()).includes("wrong-password"));
    return true;
  });
});

test("PostgreSQL: a connection name reads DW_CONNECTION_<NAME>", async () => {
  process.env.DW_CONNECTION_TESTWH = pg.url;
  try {
    const out = await loadSqlDataset(ctx, { query: "SELECT count(*) AS n FROM fixture", connection: "testwh" });
    try {
      assert.equal(out.connection, `testwh (postgres://${pg.user}@${pg.host}:${pg.port}/dw)`);
      const [row] = await parquetReadObjects({ file: await asyncBufferFromFile(out.file) });
      assert.equal(Number(row.n), rows.length);
    } finally {
      await out.cleanup();
    }
  } finally {
    delete process.env.DW_CONNECTION_TESTWH;
  }
});
