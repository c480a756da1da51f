import type { DomainContext } from "../../workspace/DomainContext.js";
import { openSqlEngine, type SqlSource } from "../../data/sql/sqlEngine.js";
import { redactUrl } from "../../data/sql/resolveConnection.js";
import type { SampleDefinition } from "./SampleDefinition.js";
import { rowHashSql } from "./rowHashSql.js";
import { engineRowHashes } from "./engineRowHashes.js";

/**
 * The definition of a seeded sample of a SQL table or query, without drawing it: the engine and its
 * version, the population's row count and the top-n SQL (ORDER BY the row hash for the seed, LIMIT
 * rows) that draws it. sampleForTraining draws it into a Parquet file; train_model registers what
 * that SQL returns as the dataset it trains on. The size is checked by the caller.
 *
 * @example
 * ```ts
 * const def = await defineSample(ctx, { source: { table: "events", connection: "warehouse" }, seed: 42, rows: 100_000 });
 * def.sql; // SELECT * FROM "events" ORDER BY hash(…) LIMIT 100000
 * ```
 */
export async function defineSample(ctx: DomainContext, args: { source: SqlSource; seed: number; rows: number }): Promise<SampleDefinition> {
  const db = await openSqlEngine(ctx, args.source, { readInPlace: true });
  try {
    const [rowHash] = await engineRowHashes(db);
    const hash = rowHashSql(db.engine, db.columns, args.seed, rowHash);
    const [[version]] = await db.all("SELECT version()");
    const [[count]] = await db.all(`SELECT COUNT(*) FROM ${db.source}`);
    const population = Number(count);
    const given = args.source.connection?.trim() || "duckdb";
    const shown = redactUrl(given);
    return {
      method: "row_hash_order",
      engine: db.engine,
      engine_version: String(version),
      connection: shown,
      connection_redacted: shown !== given,
      source: args.source.table !== undefined ? { table: args.source.table } : { query: args.source.query! },
      seed: args.seed,
      rows: args.rows,
      population_rows: population,
      sampled_rows: Math.min(args.rows, population),
      // The newline keeps a trailing `-- comment` in a query source from swallowing ORDER BY.
      sql: `SELECT * FROM ${db.source}\nORDER BY ${hash}\nLIMIT ${args.rows}`,
    };
  } finally {
    await db.close();
  }
}
