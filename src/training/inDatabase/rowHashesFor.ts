import type { RowHash } from "./RowHash.js";

/**
 * The row hashes (rowHashSql) an engine can compute, the one a new run uses first: DuckDB's
 * `hash`; PostgreSQL's `hash_record_extended` from 14 (server_version_num 140000) and
 * `hashtextextended` from 11. An older PostgreSQL has neither (empty list).
 *
 * @example
 * ```ts
 * rowHashesFor("postgres", 130012); // ["hashtextextended"]
 * ```
 */
export function rowHashesFor(engine: "duckdb" | "postgres", serverVersionNum: number): RowHash[] {
  if (engine === "duckdb") return ["hash"];
  if (serverVersionNum >= 140000) return ["hash_record_extended", "hashtextextended"];
  if (serverVersionNum >= 110000) return ["hashtextextended"];
  return [];
}
