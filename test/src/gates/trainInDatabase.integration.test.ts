import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { err, ok } from "../../helpers/results.js";
import { InDatabaseRun } from "../../../src/training/inDatabase/InDatabaseRun.js";
import { loadModel } from "../../../src/models/scoreModel.js";
import { predictLinear } from "../../../src/models/linearRegression.js";
import { meanAbsolutePercentageError } from "../../../src/models/meanAbsolutePercentageError.js";
import { renderReproduceRun } from "../../../src/tools/render/reproduceRun.js";
import { assertClose, exportRows, referenceFit } from "../training/inDatabase/linearReference.js";

let tw: TempWorkspace;
let ctx: ToolContext;
const DB = "duckdb:data/w.duckdb";
const FEATURES = ["x0", "x1", "year", "flag"];
const KINDS = { x0: "number", x1: "number", year: "number", flag: "boolean" } as const;

/** 3,000 seeded rows: missing and NaN features, a boolean, a text column, missing targets. */
function csv(): string {
  let s = 3;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const lines = ["x0,x1,year,flag,note,y"];
  for (let i = 0; i < 3000; i++) {
    const x0 = rnd() * 10 - 5;
    const x1 = rnd() * 3;
    const year = 2000 + Math.floor(rnd() * 25);
    const flag = rnd() < 0.4;
    const y = 1.5 + 2 * x0 - 0.7 * x1 + 0.05 * (year - 2000) + (flag ? 3 : 0) + (rnd() - 0.5);
    const cell = (v: number | boolean, missing: number) => (rnd() < missing ? "" : String(v));
    lines.push([cell(x0, 0.05), cell(x1, 0.05), cell(year, 0.02), cell(flag, 0.1), `n${i % 7}`, cell(y, 0.04)].join(","));
  }
  return `${lines.join("\n")}\n`;
}

async function sql(statement: string): Promise<void> {
  const db = await DuckDBInstance.create(join(tw.dir, "data", "w.duckdb"));
  const conn = await db.connect();
  try {
    await conn.run(statement);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

before(async () => {
  tw = await makeTempWorkspace("dw-indb-");
  await writeFile(join(tw.dir, "data", "lin.csv"), csv());
  await sql(`CREATE TABLE lin AS SELECT * FROM read_csv('${join(tw.dir, "data", "lin.csv")}')`);
  ctx = await createToolContext({ cwd: tw.dir });
});
after(async () => tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8", maxBuffer: 1 << 26 });

test("train_model on a DuckDB table trains a linear regression in the database: the run commit records the SQL, the model equals fitLinear on the exported rows, and reproduce_run runs the SQL again", async () => {
  const run = ok(await runTool("train_model", { table: "lin", connection: DB, target: "y", features: FEATURES, seed: 7, test_size: 0.25 }, ctx));
  assert.deepEqual(run.trained_on, { where: "in_database", engine: "duckdb", rows: 3000, record: "data/in_database.json" });
  assert.deepEqual(
    (run.gates as { gate: string }[]).map((g) => g.gate),
    ["quality", "governance", "cost"],
  );
  const runId = run.run_id as string;
  const files = git("ls-tree", "-r", "--name-only", `refs/dw/runs/${runId}`).split("\n");
  for (const f of ["data/in_database.json", "data/manifest.json", "model.json", "gates/quality.json", "gates/governance.json", "params.json"])
    assert.ok(files.includes(f), f);
  // The quality gate profiled the table in the database.
  assert.equal(JSON.parse(git("show", `refs/dw/runs/${runId}:gates/quality.json`)).source, "sql");
  const record = InDatabaseRun.parse(JSON.parse(git("show", `refs/dw/runs/${runId}:data/in_database.json`)));
  assert.equal(record.connection, DB);
  assert.deepEqual(record.source, { table: "lin" });
  assert.equal(record.rows.total, 3000);
  assert.equal(record.rows.train + record.rows.test + record.rows.dropped_missing, 3000);
  assert.match(record.sql.moments, /^SELECT COUNT\(\*\), SUM\(y\)/);

  // model.json validates as any model loads, and says where it was trained.
  const { json } = loadModel(git("show", `refs/dw/runs/${runId}:model.json`), "model.json");
  assert.equal(json.training_data.where, "in_database");
  assert.equal(json.training_data.rows, record.rows.train);
  assert.deepEqual(json.reference_stats, {});
  assert.equal(JSON.parse(git("show", `refs/dw/runs/${runId}:data/manifest.json`)).sha256, json.training_data.sha256);

  // The same numbers as dw's in-memory path on the rows the recorded SQL selects.
  const train = await exportRows(ctx, record.sql.train_rows, DB);
  const held = await exportRows(ctx, record.sql.test_rows, DB);
  const ref = referenceFit(train, held, FEATURES, "y", KINDS);
  const params = json.params as { intercept: number; coefficients: number[] };
  assertClose(params.intercept, ref.fit.intercept, "intercept");
  params.coefficients.forEach((c, j) => assertClose(c, ref.fit.coefficients[j], FEATURES[j]));
  const metrics = run.metrics as Record<string, number>;
  for (const k of ["r2", "rmse", "mae"] as const) assertClose(metrics[k], ref.metrics![k], k);
  // mape as train_model's in-memory evaluation defines it, on the held-out rows' predictions.
  const heldY = Float64Array.from(held, (r) => Number(r.y));
  const heldX = Float64Array.from(
    held.flatMap((r) => FEATURES.map((f, j) => (r[f] === null || r[f] === undefined || Number.isNaN(Number(r[f])) ? ref.impute[j] : Number(r[f])))),
  );
  assertClose(metrics.mape, meanAbsolutePercentageError(heldY, predictLinear(ref.fit, heldX, held.length, FEATURES.length)), "mape");

  // reproduce_run: the SQL again, within the recorded tolerance (here the same bytes: a small table sums in one thread).
  const again = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal((again.tolerance as { within: boolean }).within, true, String(again.verdict));
  assert.match(String(again.verdict), /^(Same bytes|Within tolerance): the SQL ran again in duckdb/);
  // The notebook's summary says the table was queried again and shows the tolerance, not "from the source file".
  const shown = String(renderReproduceRun(again as Parameters<typeof renderReproduceRun>[0]));
  assert.match(shown, /the table, queried again/);
  assert.match(shown, /tolerance[\s\S]*relative 1e-9[\s\S]*within/);

  // A changed row changes the fingerprint: not the same, and the data is named as the reason.
  await sql("UPDATE lin SET y = y + 100 WHERE x0 = (SELECT MIN(x0) FROM lin)");
  const changed = ok(await runTool("reproduce_run", { model_id: runId }, ctx));
  assert.equal(changed.identical, false);
  assert.equal((changed.tolerance as { within: boolean }).within, false);
  assert.equal((changed.differences as { kind: string }[])[0].kind, "data");
  assert.match(String(changed.verdict), /^Not the same: .*content changed/);
  await sql("UPDATE lin SET y = y - 100 WHERE x0 = (SELECT MIN(x0) FROM lin)");
});

test("what train_model cannot train in the database is a DwError naming it, with a hint", async () => {
  const base = { connection: DB, target: "y" };
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ ...base, table: "nope" }, "SQL_ERROR", /nope/],
    [{ ...base, table: "lin", features: ["x0", "zz"] }, "INVALID_INPUT", /'zz' is not a column/],
    [{ ...base, table: "lin", features: ["x0", "note"] }, "INVALID_INPUT", /Feature 'note' holds string values/],
    [{ ...base, table: "lin", cv_folds: 3 }, "INVALID_INPUT", /seeded holdout/],
    [{ ...base, table: "lin", query: "SELECT 1" }, "INVALID_INPUT", /a table or a query, not both/],
    [{ target: "y", table: "lin", connection: "postgres://dw:secret@127.0.0.1:1/dw" }, "CONNECTION_ERROR", /127\.0\.0\.1:1/],
    [{ target: "y" }, "INVALID_INPUT", /dataset_id: .*table or query/],
  ];
  for (const [input, code, message] of cases) {
    const e = err(await runTool("train_model", input, ctx));
    assert.equal(e.code, code, JSON.stringify(input));
    assert.match(e.message, message);
    assert.ok(e.hint, JSON.stringify(input));
    assert.doesNotMatch(JSON.stringify(e), /secret/);
  }
});

test("another algorithm trains on the seeded sample, which is drawn again to the same bytes and reproduced byte for byte", async () => {
  const input = {
    query: "SELECT * FROM lin WHERE y IS NOT NULL",
    connection: DB,
    target: "y",
    features: ["x0", "x1", "note"],
    algorithm: "decision_tree",
    sample_rows: 1000,
  };
  const run = ok(await runTool("train_model", input, ctx));
  const sample = run.sample as { sql: string; sampled_rows: number; population_rows: number; seed: number };
  assert.equal(sample.sampled_rows, 1000);
  assert.equal(sample.population_rows, (await exportRows(ctx, input.query, DB)).length);
  assert.equal((run.trained_on as { where: string }).where, "sample");
  const rows = run.rows as { train: number; test: number };
  assert.equal(rows.train + rows.test, 1000);
  // The run commit records how the sample was drawn: its SQL, seed and sizes, as the answer gives them.
  assert.deepEqual(JSON.parse(git("show", `refs/dw/runs/${run.run_id}:data/sample.json`)), run.sample);
  // The same call draws the same rows: the same dataset bytes.
  const again = ok(await runTool("train_model", input, ctx));
  assert.equal(
    JSON.parse(git("show", `refs/dw/runs/${again.run_id}:data/manifest.json`)).sha256,
    JSON.parse(git("show", `refs/dw/runs/${run.run_id}:data/manifest.json`)).sha256,
  );
  const other = ok(await runTool("train_model", { ...input, seed: 8 }, ctx));
  assert.notEqual(
    JSON.parse(git("show", `refs/dw/runs/${other.run_id}:data/manifest.json`)).sha256,
    JSON.parse(git("show", `refs/dw/runs/${run.run_id}:data/manifest.json`)).sha256,
  );
  const rebuilt = ok(await runTool("reproduce_run", { model_id: run.run_id }, ctx));
  assert.equal(rebuilt.identical, true, String(rebuilt.verdict));
});
