import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { DwError } from "../../../../src/errors/DwError.js";
import { trainLinearInDatabase } from "../../../../src/training/inDatabase/trainLinearInDatabase.js";
import { assertClose, assertSameFit, exportRows, referenceFit } from "./linearReference.js";

const FEATURES = ["x0", "x1", "year", "flag"];
const KINDS = { x0: "number", x1: "number", year: "number", flag: "boolean" } as const;

/** 3,000 seeded rows: missing and NaN features, a large-mean column (centring matters), a boolean, missing targets. */
function csv(): string {
  let s = 1;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const lines = ["id,x0,x1,year,flag,note,y"];
  for (let i = 0; i < 3000; i++) {
    const x0 = rnd() * 10 - 5;
    const x1 = rnd() * 3;
    const year = 2000 + Math.floor(rnd() * 25);
    const flag = rnd() < 0.4;
    const y = 1.5 + 2 * x0 - 0.7 * x1 + 0.05 * (year - 2000) + (flag ? 3 : 0) + (rnd() - 0.5);
    const cell = (v: number | boolean, missing: number) => (rnd() < missing ? "" : String(v));
    const x1Text = rnd() < 0.03 ? "NaN" : cell(x1, 0.05);
    lines.push([i, cell(x0, 0.08), x1Text, cell(year, 0.02), cell(flag, 0.1), `n${i % 7}`, cell(y, 0.04)].join(","));
  }
  return `${lines.join("\n")}\n`;
}

test("a linear regression from XᵀX and Xᵀy in DuckDB equals fitLinear on the exported rows, and the split is the seed's", async () => {
  const ws = await makeTempWorkspace();
  try {
    await writeFile(join(ws.dir, "data", "lin.csv"), csv());
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const spec = { source: { table: "data/lin.csv" }, target: "y", features: FEATURES, testSize: 0.25, seed: 7 };
    const m = await trainLinearInDatabase(ctx, spec);
    assert.equal(m.engine, "duckdb");
    const train = await exportRows(ctx, m.sql.train_rows);
    const held = await exportRows(ctx, m.sql.test_rows);
    assert.equal(m.rows.train, train.length);
    assert.equal(m.rows.test, held.length);
    assert.equal(m.rows.train + m.rows.test + m.rows.dropped_missing, 3000);
    assert.ok(m.rows.dropped_missing > 50 && m.rows.test > 500 && m.rows.test < 1000, JSON.stringify(m.rows));
    assert.deepEqual(
      m.pipeline.steps.map((s) => s.kind),
      ["numeric", "numeric", "numeric", "boolean"],
    );
    const ref = referenceFit(train, held, FEATURES, "y", KINDS);
    assertSameFit(m, ref);
    assert.ok(m.metrics!.r2 > 0.9, "the fit is a real fit");
    assert.ok(m.training.r2 > 0.9 && m.training.rmse > 0);

    // The same seed selects the same rows; another seed, other rows.
    const again = await trainLinearInDatabase(ctx, spec);
    assert.deepEqual(again.rows, m.rows);
    assert.deepEqual(again.pipeline, m.pipeline);
    const other = await trainLinearInDatabase(ctx, { ...spec, seed: 8 });
    assert.notDeepEqual(
      (await exportRows(ctx, other.sql.test_rows)).map((r) => r.id),
      held.map((r) => r.id),
    );

    // test_size 0: every row with a target trains; the training metrics come from the statistics alone.
    const all = await trainLinearInDatabase(ctx, { ...spec, testSize: 0 });
    assert.equal(all.metrics, undefined);
    const every = await exportRows(ctx, all.sql.train_rows);
    assert.equal(every.length, 3000 - m.rows.dropped_missing);
    const whole = referenceFit(every, [], FEATURES, "y", KINDS);
    assertSameFit(all, whole);
    // The in-memory residuals give the same training r2 as Syy − 2βᵀSxy + βᵀSxxβ.
    const self = referenceFit(every, every, FEATURES, "y", KINDS);
    assertClose(all.training.r2, self.metrics!.r2, "training r2", 1e-9);
    assertClose(all.training.rmse, self.metrics!.rmse, "training rmse", 1e-9);

    // A ridge penalty is fitLinear's l2.
    const ridge = await trainLinearInDatabase(ctx, { ...spec, testSize: 0, l2: 50 });
    assert.notEqual(ridge.fit.coefficients[0], all.fit.coefficients[0]);
  } finally {
    await ws.cleanup();
  }
});

test("a table in a DuckDB database file is fitted where it is stored (duckdb:<path>), with the same result as the file", async () => {
  const ws = await makeTempWorkspace();
  try {
    await writeFile(join(ws.dir, "data", "lin.csv"), csv());
    const db = await DuckDBInstance.create(join(ws.dir, "data", "w.duckdb"));
    const conn = await db.connect();
    await conn.run(`CREATE TABLE lin AS SELECT * FROM read_csv('${join(ws.dir, "data", "lin.csv")}')`);
    conn.closeSync();
    db.closeSync();
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const spec = { target: "y", features: FEATURES, testSize: 0.25, seed: 7 };
    const fromFile = await trainLinearInDatabase(ctx, { ...spec, source: { table: "data/lin.csv" } });
    const stored = await trainLinearInDatabase(ctx, { ...spec, source: { table: "lin", connection: "duckdb:data/w.duckdb" } });
    assert.deepEqual(stored.rows, fromFile.rows);
    assert.deepEqual(stored.pipeline, fromFile.pipeline);
    stored.fit.coefficients.forEach((c, j) => assertClose(c, fromFile.fit.coefficients[j], `coefficient ${j}`, 1e-12));
    const train = await exportRows(ctx, stored.sql.train_rows, "duckdb:data/w.duckdb");
    assert.equal(train.length, stored.rows.train);

    await assert.rejects(
      trainLinearInDatabase(ctx, { ...spec, source: { table: "lin", connection: "duckdb:data/missing.duckdb" } }),
      (e: unknown) => e instanceof DwError && e.code === "NOT_FOUND" && /missing\.duckdb/.test(e.message) && e.hint !== undefined,
    );
  } finally {
    await ws.cleanup();
  }
});

test("what the in-database fit cannot do is an INVALID_INPUT naming the column and the way out", async () => {
  const ws = await makeTempWorkspace();
  try {
    await writeFile(join(ws.dir, "data", "lin.csv"), csv());
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const base = { source: { table: "data/lin.csv" }, target: "y", testSize: 0.2, seed: 1 };
    const rejects = (features: string[], re: RegExp, extra: Record<string, unknown> = {}) =>
      assert.rejects(trainLinearInDatabase(ctx, { ...base, features, ...extra }), (e: unknown) => {
        assert.ok(e instanceof DwError, String(e));
        assert.equal(e.code, "INVALID_INPUT");
        assert.match(e.message, re);
        assert.ok(e.hint);
        return true;
      });
    await rejects(["x0", "note"], /Feature 'note' holds string values/);
    await rejects(["x0", "nope"], /'nope' is not a column/);
    await rejects(["x0", "y"], /target 'y' is also listed/);
    await rejects(["x0"], /test_size 1 is not in/, { testSize: 1 });
  } finally {
    await ws.cleanup();
  }
});
