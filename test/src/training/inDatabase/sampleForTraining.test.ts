import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext } from "../../../../src/tools/createToolContext.js";
import { DwError } from "../../../../src/errors/DwError.js";
import { sampleForTraining } from "../../../../src/training/inDatabase/sampleForTraining.js";
import { readSample } from "../../../../src/training/inDatabase/readSample.js";
import { SampleDefinition } from "../../../../src/training/inDatabase/SampleDefinition.js";

const rowsOf = async (file: string) => parquetReadObjects({ file: await asyncBufferFromFile(file) });

test("a seeded sample of a SQL source: its definition draws the same rows again, another seed other rows, and it is uniform", async () => {
  const ws = await makeTempWorkspace();
  try {
    const lines = ["id,g,v"];
    for (let i = 0; i < 20000; i++) lines.push(`${i},${i % 4 === 0 ? "a" : "b"},${(i * 7919) % 1000}`);
    await writeFile(join(ws.dir, "data", "big.csv"), `${lines.join("\n")}\n`);
    const ctx = await createToolContext({ cwd: ws.dir, workspaceDir: ws.dir });
    const s = await sampleForTraining(ctx, { source: { table: "data/big.csv" }, seed: 42, rows: 2000 });
    try {
      const def = SampleDefinition.parse(JSON.parse(JSON.stringify(s.definition)));
      assert.equal(def.population_rows, 20000);
      assert.equal(def.sampled_rows, 2000);
      assert.equal(def.connection, "duckdb");
      assert.match(def.sql, /ORDER BY hash\("id", "g", "v", CAST\(42 AS BIGINT\)\)\nLIMIT 2000$/);
      const rows = await rowsOf(s.file);
      assert.equal(rows.length, 2000);
      const ids = rows.map((r) => Number(r.id));
      assert.equal(new Set(ids).size, 2000, "without replacement");
      // Uniform: a quarter of the rows are 'a' (500 expected; 4 standard deviations is ±77), and ids spread over the range.
      const a = rows.filter((r) => r.g === "a").length;
      assert.ok(Math.abs(a - 500) < 80, `${a} rows of 'a'`);
      assert.ok(ids.filter((i) => i < 10000).length > 850 && ids.filter((i) => i < 10000).length < 1150);

      const again = await readSample(ctx, def);
      try {
        assert.deepEqual(await readFile(again.file), await readFile(s.file), "the same rows in the same order, byte for byte");
      } finally {
        await again.cleanup();
      }
      const other = await sampleForTraining(ctx, { source: { query: "SELECT * FROM 'data/big.csv' WHERE v >= 0 -- all of them" }, seed: 43, rows: 2000 });
      try {
        const otherIds = (await rowsOf(other.file)).map((r) => Number(r.id));
        assert.equal(otherIds.length, 2000);
        assert.ok(otherIds.filter((i) => ids.includes(i)).length < 400, "another seed, mostly other rows");
      } finally {
        await other.cleanup();
      }
      const all = await sampleForTraining(ctx, { source: { table: "data/big.csv" }, seed: 1, rows: 50000 });
      try {
        assert.equal(all.definition.sampled_rows, 20000);
        assert.equal((await rowsOf(all.file)).length, 20000);
      } finally {
        await all.cleanup();
      }
    } finally {
      await s.cleanup();
    }
    await assert.rejects(
      sampleForTraining(ctx, { source: { table: "data/big.csv" }, seed: 1, rows: 0 }),
      (e: unknown) => e instanceof DwError && e.code === "INVALID_INPUT" && e.hint !== undefined,
    );
    await assert.rejects(
      readSample(ctx, { ...s.definition, sql: undefined }),
      (e: unknown) => e instanceof DwError && e.code === "DATA_ERROR" && /sql/.test(e.message),
    );
    await assert.rejects(
      readSample(ctx, { ...s.definition, connection: "postgres://u@h/db", connection_redacted: true }),
      (e: unknown) => e instanceof DwError && e.code === "INVALID_INPUT" && /password is not recorded/.test(e.message),
    );
  } finally {
    await ws.cleanup();
  }
});
