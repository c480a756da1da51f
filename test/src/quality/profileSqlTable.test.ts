import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../src/tools/createToolContext.js";
import { profileSqlTable } from "../../../src/quality/profileSqlTable.js";
import { DwError } from "../../../src/errors/DwError.js";
import { fixtureRows, toCsv, expectedProfile, assertMatchesOracle, REQUEST, DUPLICATES } from "../data/sql/profileFixture.js";

test("DuckDB: profileSqlTable over a CSV file matches the numbers computed in JavaScript", async () => {
  const ws = await makeTempWorkspace();
  try {
    const rows = fixtureRows();
    await writeFile(join(ws.dir, "data", "fixture.csv"), toCsv(rows));
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const fromFile = await profileSqlTable(ctx, { table: "data/fixture.csv" }, REQUEST);
    assertMatchesOracle(fromFile, expectedProfile(rows));
    const fromQuery = await profileSqlTable(ctx, { query: "SELECT * FROM 'data/fixture.csv' -- all of it" }, REQUEST);
    assert.deepEqual(fromQuery, fromFile);
  } finally {
    await ws.cleanup();
  }
});

test("DuckDB: a missing target or table is a clear error", async () => {
  const ws = await makeTempWorkspace();
  try {
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    await assert.rejects(profileSqlTable(ctx, { table: "data/seattle-weather.csv" }, { target: "nope" }), /The target 'nope' is not a column.*/);
    await assert.rejects(
      profileSqlTable(ctx, { table: "nowhere" }, {}),
      (e: unknown) => e instanceof DwError && e.code === "SQL_ERROR" && /nowhere does not exist/.test(e.message),
    );
    await assert.rejects(profileSqlTable(ctx, {}, {}), (e: unknown) => e instanceof DwError && e.code === "INVALID_INPUT");
  } finally {
    await ws.cleanup();
  }
});

test("DuckDB: past its size the profile estimates distinct counts, says so, and still counts every duplicate row", async () => {
  const ws = await makeTempWorkspace();
  try {
    const rows = fixtureRows();
    await writeFile(join(ws.dir, "data", "fixture.csv"), toCsv(rows));
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const exact = await profileSqlTable(ctx, { table: "data/fixture.csv" }, REQUEST);
    // Below the size (the default, 10M rows) nothing is marked: the exact profile is unchanged.
    assert.equal(exact.duplicateRowsBy, undefined);
    assert.ok(exact.columns.every((c) => !("distinctApproximate" in c)));
    assert.deepEqual(await profileSqlTable(ctx, { table: "data/fixture.csv" }, REQUEST, { approximateFromRows: exact.rows + 1 }), exact);

    const approx = await profileSqlTable(ctx, { table: "data/fixture.csv" }, REQUEST, { approximateFromRows: exact.rows });
    // Duplicates by distinct row hashes: the same count as grouping by every column.
    assert.equal(approx.duplicateRowsBy, "row_hash");
    assert.equal(approx.duplicateRows, DUPLICATES);
    assert.equal(approx.duplicateRows, exact.duplicateRows);
    for (const [k, c] of approx.columns.entries()) {
      const e = exact.columns[k];
      assert.equal(c.distinctApproximate, true, c.name);
      assert.ok(c.distinct <= c.count, `${c.name}: ${c.distinct} estimated distinct of ${c.count} values`);
      // HyperLogLog is close, not exact: within a fifth of the true count here (and exact for a constant).
      assert.ok(Math.abs(c.distinct - e.distinct) <= Math.max(1, 0.2 * e.distinct), `${c.name}: estimated ${c.distinct}, exact ${e.distinct}`);
      if (e.distinct <= 1) assert.equal(c.distinct, e.distinct, c.name);
      // Every other number is the exact profile's.
      const { distinct: _a, distinctApproximate: _b, ...rest } = c;
      const { distinct: _c, ...restExact } = e;
      assert.deepEqual(rest, restExact);
    }
    const { columns: _x, duplicateRowsBy: _y, ...table } = approx;
    const { columns: _z, ...tableExact } = exact;
    assert.deepEqual(table, tableExact);
  } finally {
    await ws.cleanup();
  }
});
