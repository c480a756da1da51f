import { test } from "node:test";
import assert from "node:assert/strict";
import { totalmem } from "node:os";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { openSqlEngine } from "../../../../src/data/sql/sqlEngine.js";
import { boundDuckDbMemory } from "../../../../src/training/inDatabase/boundDuckDbMemory.js";

test("an in-database DuckDB session is capped at a quarter of the machine's memory, not DuckDB's 80 %", async () => {
  const ws = await makeTempWorkspace();
  try {
    await writeFile(join(ws.dir, "data", "t.csv"), "a,b\n1,2\n3,4\n");
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const db = await openSqlEngine(ctx, { table: "data/t.csv" }, { readInPlace: true });
    try {
      const bytes = async () => parseSize(String((await db.all("SELECT current_setting('memory_limit')"))[0][0]));
      const before = await bytes();
      await boundDuckDbMemory(db);
      const after = await bytes();
      assert.ok(before > totalmem() * 0.5, `DuckDB's own default is most of the machine (${before} of ${totalmem()} bytes)`);
      // DuckDB reports the limit rounded to two decimals of its unit (e.g. 5.7 GiB).
      assert.ok(Math.abs(after - totalmem() / 4) < totalmem() / 4 / 50, `capped at ${after} bytes, a quarter of ${totalmem()}`);
      // The session still answers queries under the cap.
      assert.deepEqual(await db.all(`SELECT SUM(a + b) FROM ${db.relation}`), [[10]]);
    } finally {
      await db.close();
    }
  } finally {
    await ws.cleanup();
  }
});

/** DuckDB's size text (e.g. "5.7 GiB", "953.6 MiB") in bytes. */
function parseSize(text: string): number {
  const m = /^([\d.]+)\s*(KiB|MiB|GiB|TiB|KB|MB|GB|TB)$/.exec(text.trim());
  assert.ok(m, `a size: ${text}`);
  const unit = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[m[2]]!;
  return Number(m[1]) * unit;
}
