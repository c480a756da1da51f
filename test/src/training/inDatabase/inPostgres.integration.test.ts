import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { startPostgres, psql, type TestPostgres } from "../../../helpers/postgres.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import type { ToolContext } from "../../../../src/tools/ToolContext.js";
import { trainLinearInDatabase } from "../../../../src/training/inDatabase/trainLinearInDatabase.js";
import { sampleForTraining } from "../../../../src/training/inDatabase/sampleForTraining.js";
import { readSample } from "../../../../src/training/inDatabase/readSample.js";
import { assertSameFit, exportRows, referenceFit } from "./linearReference.js";

let pg: TestPostgres;
let ws: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  pg = await startPostgres();
  ws = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
  // 20,000 rows: missing and NaN features, a large-mean integer column, a boolean, float8, numeric and integer types, missing targets.
  await psql(
    pg.url,
    `CREATE TABLE sales AS
     SELECT i AS id,
            CASE WHEN i % 13 = 0 THEN NULL WHEN i % 29 = 0 THEN 'NaN'::float8 ELSE ((i * 7919) % 1000) / 100.0 - 5 END::float8 AS x0,
            CASE WHEN i % 17 = 0 THEN NULL ELSE ((i * 104729) % 997)::numeric / 331 END AS x1,
            (2000 + i % 25)::int AS year,
            CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 5 < 2) END AS flag,
            'n' || (i % 7) AS note,
            CASE WHEN i % 31 = 0 THEN NULL ELSE 1.5 + 2 * (((i * 7919) % 1000) / 100.0 - 5) + 0.05 * (i % 25) + (i % 5 < 2)::int * 3 + ((i * 31337) % 101) / 100.0 END::float8 AS y
     FROM generate_series(1, 20000) AS i`,
  );
});

after(async () => {
  await ws?.cleanup();
  await pg?.stop();
});

test("PostgreSQL: the linear regression from one aggregate query equals fitLinear on the exported rows", async () => {
  const features = ["x0", "x1", "year", "flag"];
  const m = await trainLinearInDatabase(ctx, { source: { table: "sales", connection: pg.url }, target: "y", features, testSize: 0.2, seed: 3 });
  assert.equal(m.engine, "postgres");
  assert.match(m.engineVersion, /PostgreSQL/);
  assert.match(m.split.hash, /hash_record_extended/);
  const train = await exportRows(ctx, m.sql.train_rows, pg.url);
  const held = await exportRows(ctx, m.sql.test_rows, pg.url);
  assert.equal(train.length, m.rows.train);
  assert.equal(held.length, m.rows.test);
  assert.equal(m.rows.train + m.rows.test + m.rows.dropped_missing, 20000);
  assert.ok(m.rows.test > 3500 && m.rows.test < 4500, JSON.stringify(m.rows));
  assertSameFit(m, referenceFit(train, held, features, "y", { x0: "number", x1: "number", year: "number", flag: "boolean" }));
  assert.ok(m.metrics!.r2 > 0.5, `r2 ${m.metrics!.r2}: a real fit (rows whose x0 is missing are imputed, so not a perfect one)`);
  // The medians come from one sort a column (PERCENTILE_DISC at 0.5 and just above it): exact for
  // an even count of training values as for an odd one, which a second split supplies.
  const kinds = { x0: "number", x1: "number", year: "number", flag: "boolean" } as const;
  const other = await trainLinearInDatabase(ctx, { source: { table: "sales", connection: pg.url }, target: "y", features, testSize: 0.3, seed: 11 });
  const otherTrain = await exportRows(ctx, other.sql.train_rows, pg.url);
  assertSameFit(other, referenceFit(otherTrain, await exportRows(ctx, other.sql.test_rows, pg.url), features, "y", kinds));
  const present = (rows: Record<string, unknown>[], f: string) => rows.filter((r) => r[f] !== null && r[f] !== undefined && !Number.isNaN(Number(r[f]))).length;
  const parities = new Set([train, otherTrain].flatMap((rows) => ["x0", "x1", "year"].map((f) => present(rows, f) % 2)));
  assert.deepEqual([...parities].sort(), [0, 1], "both an even and an odd count of values had their median taken");
  // The query form of the source draws the same split (the hash reads the same columns).
  const q = await trainLinearInDatabase(ctx, { source: { query: "SELECT * FROM sales", connection: pg.url }, target: "y", features, testSize: 0.2, seed: 3 });
  assert.deepEqual(q.rows, m.rows);
});

test("PostgreSQL: a seeded sample is drawn in the database and drawn again byte for byte", async () => {
  const s = await sampleForTraining(ctx, { source: { table: "sales", connection: pg.url }, seed: 9, rows: 1500 });
  try {
    assert.equal(s.definition.engine, "postgres");
    assert.equal(s.definition.population_rows, 20000);
    assert.equal(s.definition.connection_redacted, true, "the URL's password is not recorded");
    assert.ok(!JSON.stringify(s.definition).includes(pg.password));
    const again = await readSample(ctx, s.definition, pg.url);
    try {
      assert.deepEqual(await readFile(again.file), await readFile(s.file));
    } finally {
      await again.cleanup();
    }
  } finally {
    await s.cleanup();
  }
});

test("PostgreSQL: train_model trains the table in the server; a URL's password is never recorded, and a named connection is reproduced by running the SQL again", async () => {
  const { runTool } = await import("../../../../src/index.js");
  const { ok, err } = await import("../../../helpers/results.js");
  const { execFileSync } = await import("node:child_process");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ws.dir, encoding: "utf8", maxBuffer: 1 << 26 });
  const input = { table: "sales", target: "y", features: ["x0", "x1", "year", "flag"], seed: 3 };
  const byUrl = ok(await runTool("train_model", { ...input, connection: pg.url }, ctx));
  assert.deepEqual(byUrl.trained_on, { where: "in_database", engine: "postgres", rows: 20000, record: "data/in_database.json" });
  const record = JSON.parse(git("show", `refs/dw/runs/${byUrl.run_id}:data/in_database.json`));
  assert.equal(record.connection_redacted, true);
  assert.doesNotMatch(git("log", "-p", "--all"), new RegExp(pg.password));
  const refused = err(await runTool("reproduce_run", { model_id: byUrl.run_id }, ctx));
  assert.equal(refused.code, "INVALID_INPUT");
  assert.match(refused.hint ?? "", /named connection/);

  process.env.DW_CONNECTION_PGTEST = pg.url;
  try {
    const named = ok(await runTool("train_model", { ...input, connection: "pgtest" }, ctx));
    assert.deepEqual(named.metrics, byUrl.metrics, "the same SQL on the same rows");
    const again = ok(await runTool("reproduce_run", { model_id: named.run_id }, ctx));
    assert.equal(again.tolerance.within, true, again.verdict);
    assert.match(again.verdict, /the SQL ran again in postgres/);
  } finally {
    delete process.env.DW_CONNECTION_PGTEST;
  }
});
