import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../src/tools/createToolContext.js";
import { profileSqlTable } from "../../../src/quality/profileSqlTable.js";
import { DwError } from "../../../src/errors/DwError.js";
import { fixtureRows, toCsv, expectedProfile, assertMatchesOracle, REQUEST } from "../data/sql/profileFixture.js";

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
