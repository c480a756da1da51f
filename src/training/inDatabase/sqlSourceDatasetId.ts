import { createHash } from "node:crypto";
import type { SqlSource } from "../../data/sql/sqlEngine.js";

/**
 * The name a run records a SQL source under when the caller gives none: the table name with every
 * character a dataset id cannot hold turned into '_' (`sales.orders`, `data_lin.csv` for
 * `data/lin.csv`), or `query-` and the first 12 hex digits of the query's sha256.
 *
 * @example
 * ```ts
 * sqlSourceDatasetId({ table: "data/lin.csv" }); // "data_lin.csv"
 * ```
 */
export function sqlSourceDatasetId(source: SqlSource): string {
  if (source.table !== undefined) {
    const id = source.table
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .replace(/^[^A-Za-z0-9]+/, "")
      .slice(0, 128);
    if (id) return id;
  }
  const text = source.query ?? source.table ?? "";
  return `query-${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}
