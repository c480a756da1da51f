import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { startPostgres, psql, type TestPostgres } from "../../helpers/postgres.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool } from "../../../src/index.js";

// A quality check on a SQL table is computed inside the database (profileSqlTable's aggregates)
// and must reach the same verdicts, check by check, as the same data checked in memory.

const tw = await makeTempWorkspace("dw-quality-sql-");
const ctx = await createToolContext({ cwd: tw.dir });
let pg: TestPostgres;

before(async () => {
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));
  pg = await startPostgres();
  await psql(
    pg.url,
    "CREATE TABLE weather (date date, precipitation double precision, temp_max double precision, temp_min double precision, wind double precision, weather text)",
  );
  await psql(pg.url, `\\copy weather FROM '${join(tw.dir, "data", "seattle-weather.csv")}' WITH (FORMAT csv, HEADER true)`);
});
after(async () => {
  await pg?.stop();
  await tw.cleanup();
});

type Finding = { check: string; status: string; column?: string; value?: number | string };
const verdicts = (r: Record<string, any>) =>
  (r.findings as Finding[]).map((f) => `${f.check}:${f.column ?? ""}:${f.status}:${typeof f.value === "number" ? f.value.toFixed(3) : (f.value ?? "")}`).sort();

test("DuckDB (the registered dataset as a view) and PostgreSQL give the in-memory check's verdicts and numbers", async () => {
  const input = { target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"] };
  const memory = ok(await runTool("run_quality_check", { dataset_id: "w", ...input }, ctx));
  const duck = ok(await runTool("run_quality_check", { table: "w", dataset_id: "w", ...input }, ctx));
  assert.equal(duck.source, "sql");
  assert.deepEqual(verdicts(duck), verdicts(memory));
  assert.deepEqual(duck.scores, memory.scores);

  const postgres = ok(await runTool("run_quality_check", { table: "weather", connection: pg.url, dataset_id: "w", ...input }, ctx));
  assert.equal(postgres.rows, 1461);
  assert.deepEqual(verdicts(postgres), verdicts(memory));
  assert.doesNotMatch(JSON.stringify(postgres), new RegExp(pg.password), "the password never appears in the report");
});

test("a SQL source is compared with the last training snapshot of its dataset id (drift and range inside the database)", async () => {
  // A real run on the whole dataset: its training snapshot is what the SQL source is compared with.
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "w", target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"], algorithm: "decision_tree" },
      ctx,
    ),
  );
  // Only the winter months of 2015 in the database: temperatures shift, the row count drops.
  const r = ok(
    await runTool(
      "run_quality_check",
      { query: "SELECT * FROM weather WHERE date >= '2015-12-01' OR date < '2012-03-01'", connection: pg.url, dataset_id: "w" },
      ctx,
    ),
  );
  assert.equal(r.reference_run, run.run_id);
  const by = (check: string, column?: string) => (r.findings as Finding[]).find((f) => f.check === check && f.column === column);
  assert.equal(by("row_count_change")?.status, "fail");
  assert.equal(by("drift", "temp_max")?.status, "fail");
  assert.equal(by("out_of_range", "temp_max")?.status, "pass", "winter temperatures are inside the four years' range");
});
