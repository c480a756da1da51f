#!/usr/bin/env node
// How long reading from PostgreSQL takes: the bounds test/src/data/sql/postgres.integration.test.ts
// held as assertions until they moved here (the test checks what is read and what the errors say).
//
//   node bench/postgres.mjs      (after `npx tsc -p .` and `node scripts/setup.mjs --for-tests`,
//                                 which installs the PostgreSQL server; run from the repo root)
//
// Starts a PostgreSQL server of its own (test/helpers/postgres.ts: a fresh cluster on a free port,
// removed afterwards) with a 100,000-row table, then times, best of 3:
//   - loadSqlDataset streaming 100 rows of every column type to Parquet: within 10 s;
//   - the same for all 100,000 rows (no target; shown for scale);
//   - an unreachable server (127.0.0.1:1) answered with CONNECTION_ERROR: within 6 s, i.e. no
//     retry loop and no long connect timeout.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { reportTargets } from "./lib/targets.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { startPostgres, findPostgresBin, psql } = await import(join(repo, "dist", "test", "helpers", "postgres.js"));
const { createToolContext } = await import(join(repo, "dist", "src", "index.js"));
const { loadSqlDataset } = await import(join(repo, "dist", "src", "data", "sql", "loadSqlDataset.js"));

const REPEAT = 3;
const best = async (f) => {
  let ms = Infinity;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
};

// `npm run bench` sets up without the test tools: without a server, say so and go on.
if (!(await findPostgresBin().catch((e) => console.log(`\n### PostgreSQL (bench/postgres.mjs)\nskipped: ${e.message}`)))) process.exit(0);
const pg = await startPostgres();
const dir = await mkdtemp(join(tmpdir(), "dw-bench-pg-"));
try {
  const ctx = await createToolContext({ cwd: dir, workspaceDir: dir });
  await psql(
    pg.url,
    `CREATE TABLE t AS SELECT i AS id, CASE WHEN i % 17 = 0 THEN NULL ELSE i * 0.001 END AS x, 'c' || (i % 7) AS cat, (i % 2 = 0) AS flag,
       DATE '2020-01-01' + (i % 365) AS d, TIMESTAMP '2021-01-01' + i * INTERVAL '1 minute' AS ts, (i % 1000)::numeric / 8 AS y
     FROM generate_series(0, 99999) AS i`,
  );
  const load = (query) => async () => (await loadSqlDataset(ctx, { query, connection: pg.url })).cleanup();
  const small = await best(load("SELECT id, x, cat, flag, d, ts, y, ts AT TIME ZONE 'Europe/Paris' AS tz FROM t WHERE id < 100 ORDER BY id"));
  const all = await best(load("SELECT * FROM t"));
  const refused = await best(async () => {
    try {
      await loadSqlDataset(ctx, { query: "SELECT 1", connection: "postgres://dw:s3cret@127.0.0.1:1/dw" });
    } catch (e) {
      if (e?.code === "CONNECTION_ERROR") return;
      throw e;
    }
    throw new Error("an unreachable server was read from");
  });
  reportTargets("PostgreSQL (bench/postgres.mjs)", [
    { what: "loadSqlDataset: 100 rows of every type to Parquet", measured: `${small.toFixed(0)} ms`, target: "< 10000 ms", ok: small < 10_000 },
    { what: "loadSqlDataset: 100,000 rows to Parquet", measured: `${all.toFixed(0)} ms`, target: "none", ok: true },
    { what: "an unreachable server: CONNECTION_ERROR", measured: `${refused.toFixed(0)} ms`, target: "< 6000 ms", ok: refused < 6000 },
  ]);
} finally {
  await rm(dir, { recursive: true, force: true });
  await pg.stop();
}
