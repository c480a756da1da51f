import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import type { SqlSource } from "../../data/sql/sqlEngine.js";
import type { SqlDatasetFile } from "../../data/sql/loadSqlDataset.js";
import type { SampleDefinition } from "./SampleDefinition.js";
import { defineSample } from "./defineSample.js";
import { readSample } from "./readSample.js";

import { MAX_SAMPLE_ROWS } from "./sampleSize.js";

// Defined in sampleSize.ts (import-free, for train_model's schema); exported here too.
export { MAX_SAMPLE_ROWS };

/**
 * Draws a seeded sample of a SQL table or query for the algorithms that train in memory (every one
 * but linear regression, which trains in the database: trainLinearInDatabase). The sample is the
 * `rows` rows with the smallest row hash for `seed` (rowHashSql: the engine's hash of every column
 * and the seed), in hash order: a uniform sample without replacement that depends only on the
 * rows' values, the seed and the engine version, never on the physical order of the table. It is
 * drawn by one top-n query in the database and written to a Parquet file as load_dataset writes
 * query results; the definition is what the run commit records, so reproduce_run draws the same
 * rows with readSample.
 *
 * @example
 * ```ts
 * const s = await sampleForTraining(ctx, { source: { table: "events", connection: "warehouse" }, seed: 42, rows: 1_000_000 });
 * try { await cacheFile(ctx.workspace, s.file); record.sample = s.definition; } finally { await s.cleanup(); }
 * ```
 */
export async function sampleForTraining(
  ctx: DomainContext,
  args: { source: SqlSource; seed: number; rows: number },
): Promise<SqlDatasetFile & { definition: SampleDefinition }> {
  if (!Number.isSafeInteger(args.rows) || args.rows < 1 || args.rows > MAX_SAMPLE_ROWS) {
    throw new DwError("INVALID_INPUT", `A sample of ${args.rows} rows: the size must be a whole number from 1 to ${MAX_SAMPLE_ROWS.toLocaleString("en-US")}.`, {
      hint: "Pass the number of rows to train on, e.g. 1000000; a linear regression trains on every row in the database instead.",
      details: { field: "rows" },
    });
  }
  const definition = await defineSample(ctx, args);
  const file = await readSample(ctx, definition, args.source.connection);
  return { ...file, definition };
}
