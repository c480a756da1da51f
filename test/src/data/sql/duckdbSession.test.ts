import { test } from "node:test";
import assert from "node:assert/strict";
import { totalmem } from "node:os";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { openSqlEngine } from "../../../../src/data/sql/sqlEngine.js";
import { openDuckDb } from "../../../../src/data/sql/duckdbSession.js";

test("every DuckDB session dw opens keeps at most a quarter of the process's memory, and never more than DuckDB's own default", async () => {
  const ws = await makeTempWorkspace();
  try {
    await writeFile(join(ws.dir, "data", "t.csv"), "a,b\n1,2\n3,4\n");
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    // DuckDB's own default on this machine (80 % of what it sees, the container's limit included).
    const plain = await DuckDBInstance.create(":memory:");
    const pc = await plain.connect();
    const before = parseSize(String((await pc.runAndReadAll("SELECT current_setting('memory_limit')")).getRows()[0][0]));
    pc.closeSync();
    plain.closeSync();
    const quarter = Math.min(totalmem(), process.constrainedMemory?.() || Infinity) * 0.25;
    // DuckDB shows the limit rounded to two decimals of its unit (e.g. 5.7 GiB): 1 % slack.
    const bound = Math.min(before, Math.max(quarter, 256 * 2 ** 20)) * 1.01;

    // The in-database and profile path (openSqlEngine) and load_dataset's (openDuckDb) alike.
    const db = await openSqlEngine(ctx, { table: "data/t.csv" }, { readInPlace: true });
    try {
      const after = parseSize(String((await db.all("SELECT current_setting('memory_limit')"))[0][0]));
      assert.ok(after <= before * 1.01, `never raised: ${after} after, ${before} DuckDB's default`);
      assert.ok(after <= bound, `at most a quarter of ${Math.min(totalmem(), process.constrainedMemory?.() || Infinity)} bytes: ${after}`);
      // The session still answers queries under the cap.
      assert.deepEqual(await db.all(`SELECT SUM(a + b) FROM ${db.relation}`), [[10]]);
    } finally {
      await db.close();
    }
    const s = await openDuckDb(ctx.workspace, ws.dir, "SELECT 1");
    try {
      const after = parseSize(String((await s.conn.runAndReadAll("SELECT current_setting('memory_limit')")).getRows()[0][0]));
      assert.ok(after <= before * 1.01 && after <= bound, `load_dataset's session too: ${after}`);
    } finally {
      s.close();
    }
  } finally {
    await ws.cleanup();
  }
});

/** DuckDB's size text (e.g. "5.7 GiB", "953.6 MiB") in bytes. */
function parseSize(text: string): number {
  const m = /^([\d.]+)\s*(bytes|KiB|MiB|GiB|TiB|KB|MB|GB|TB)$/.exec(text.trim());
  assert.ok(m, `a size: ${text}`);
  const unit = { bytes: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[m[2]]!;
  return Number(m[1]) * unit;
}
