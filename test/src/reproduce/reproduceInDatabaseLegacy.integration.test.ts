import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { startPostgres, psql, type TestPostgres } from "../../helpers/postgres.js";
import { createToolContext } from "../../../src/tools/createToolContext.js";
import type { ToolContext } from "../../../src/tools/ToolContext.js";
import { runTool } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";
import { loadModel } from "../../../src/models/scoreModel.js";
import { modelJsonText } from "../../../src/models/modelJsonText.js";
import { isDwError } from "../../../src/errors/DwError.js";
import { openSqlEngine } from "../../../src/data/sql/sqlEngine.js";
import { rowHashSql } from "../../../src/training/inDatabase/rowHashSql.js";
import { trainLinearInDatabase } from "../../../src/training/inDatabase/trainLinearInDatabase.js";
import { inDatabaseModelJson } from "../../../src/training/inDatabase/inDatabaseModelJson.js";
import { inDatabaseDataSha256 } from "../../../src/training/inDatabase/inDatabaseDataSha256.js";
import { reproduceInDatabase, type StoredInDatabaseRun } from "../../../src/reproduce/reproduceInDatabase.js";

let pg: TestPostgres;
let ws: TempWorkspace;
let ctx: ToolContext;
const noChange = { recorded: true, same: true, changes: [] };

before(async () => {
  pg = await startPostgres();
  ws = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
  process.env.DW_CONNECTION_PGLEGACY = pg.url;
  await psql(
    pg.url,
    `CREATE TABLE sales AS
     SELECT i AS id,
            CASE WHEN i % 13 = 0 THEN NULL ELSE ((i * 7919) % 1000) / 100.0 - 5 END::float8 AS x0,
            ((i * 104729) % 997)::numeric / 331 AS x1,
            'n' || (i % 7) AS note,
            1.5 + 0.2 * (((i * 7919) % 1000) / 100.0 - 5) + 0.5 * ((i * 104729) % 997)::numeric / 331 + ((i * 31337) % 101) / 20.0 AS y
     FROM generate_series(1, 5000) AS i`,
  );
});

after(async () => {
  delete process.env.DW_CONNECTION_PGLEGACY;
  await ws?.cleanup();
  await pg?.stop();
});

/**
 * A run as a dw before 2026-12-05 committed it: the split drawn with hashtextextended of the row's
 * text, built by the legacy generator (rowHashSql's "hashtextextended", the old expression word for
 * word), and no row_hash field in data/in_database.json. The rest of the run (model.json's shape,
 * manifest, metrics) is the one train_model writes today, refitted on the legacy split.
 */
async function legacyRun(): Promise<StoredInDatabaseRun> {
  const input = { table: "sales", target: "y", features: ["x0", "x1"], seed: 5, connection: "pglegacy" };
  const run = ok(await runTool("train_model", input, ctx));
  const show = (path: string) => execFileSync("git", ["show", `refs/dw/runs/${run.run_id}:${path}`], { cwd: ws.dir, encoding: "utf8" });
  const record = JSON.parse(show("data/in_database.json"));
  assert.equal(record.split.row_hash, "hash_record_extended", "a new run records its row hash");
  const db = await openSqlEngine(ctx, { table: "sales", connection: "pglegacy" }, { readInPlace: true });
  const legacyHash = await (async () => {
    try {
      return rowHashSql("postgres", db.columns, 5, "hashtextextended");
    } finally {
      await db.close();
    }
  })();
  assert.equal(legacyHash, `(hashtextextended(CAST(ROW("id", "x0", "x1", "note", "y") AS TEXT), 5) & 9223372036854775807)`);
  const fit = await trainLinearInDatabase(ctx, {
    source: { table: "sales", connection: "pglegacy" },
    target: "y",
    features: ["x0", "x1"],
    testSize: record.test_size,
    seed: 5,
    l2: record.l2,
    recordedSplit: { run: "fixture", hash: legacyHash, row_hash: "hashtextextended" },
  });
  assert.notEqual(fit.fingerprint.row_hash_sum, record.fingerprint.row_hash_sum, "the two hashes draw different splits");
  const { row_hash: _dropped, ...split } = record.split;
  const legacy = {
    ...record,
    split: { ...split, hash: legacyHash },
    rows: { total: fit.fingerprint.rows, ...fit.rows },
    fingerprint: { row_hash_sum: fit.fingerprint.row_hash_sum, seed: 5 },
    sql: fit.sql,
  };
  const sha256 = inDatabaseDataSha256(legacy);
  const stored = loadModel(show("model.json"), "model.json").json;
  const model = inDatabaseModelJson(fit, {
    target: "y",
    datasetId: stored.training_data.dataset_id,
    sha256,
    hyperparameters: stored.hyperparameters,
    runId: stored.run_id,
    now: new Date(stored.created_at),
  });
  const modelText = modelJsonText(model);
  return {
    runId: run.run_id,
    commit: "0".repeat(40),
    label: `run ${run.run_id}`,
    recordText: JSON.stringify(legacy),
    manifest: { ...JSON.parse(show("data/manifest.json")), sha256 },
    metrics: { ...fit.metrics },
    modelText,
    json: loadModel(modelText, "model.json").json,
    createdAt: new Date(stored.created_at),
  };
}

test("reproduce_run repeats a PostgreSQL run recorded with the legacy row-text hash: recognised from its SQL, same data, not 'content changed'", async () => {
  const legacy = await legacyRun();
  const out = await reproduceInDatabase(ctx, legacy, noChange);
  assert.deepEqual(
    out.differences.filter((d) => d.kind === "data"),
    [],
    out.verdict,
  );
  assert.equal(out.tolerance?.within, true, out.verdict);

  // An unknown hash definition is named, not run and not called a data change.
  const rec = JSON.parse(legacy.recordText);
  const edited = { ...legacy, recordText: JSON.stringify({ ...rec, split: { ...rec.split, hash: `(md5(CAST(ROW("id") AS TEXT)))` } }) };
  await assert.rejects(reproduceInDatabase(ctx, edited, noChange), (e: unknown) => {
    assert.ok(isDwError(e));
    assert.match(e.message, new RegExp(`run ${legacy.runId}`));
    assert.match(e.message, /md5/);
    assert.match(e.message, /hash_record_extended/);
    assert.ok(e.hint);
    return true;
  });

  // The table changed: now it is a data difference, judged with the run's own hash.
  await psql(pg.url, "UPDATE sales SET x1 = x1 + 1 WHERE id = 17");
  const changed = await reproduceInDatabase(ctx, legacy, noChange);
  const data = changed.differences.filter((d) => d.kind === "data");
  assert.equal(data.length, 1, changed.verdict);
  assert.match(data[0].message, /content changed/);
});
