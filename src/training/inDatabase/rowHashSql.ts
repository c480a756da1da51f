import { DwError } from "../../errors/DwError.js";
import { quoteIdent } from "../../data/sql/sqlText.js";

/**
 * A SQL expression giving each row a non-negative 64-bit integer from its values and a seed: what
 * the in-database split (`% 1000000 < test share`) and the seeded sample (`ORDER BY … LIMIT n`)
 * are defined by. Rows have no order or key in SQL, so a row is known by its content: equal rows
 * get equal hashes (and so land on the same side of a split, which keeps duplicates out of the
 * holdout). DuckDB: `hash(col, …, seed)`; PostgreSQL: `hashtextextended` of the row's text with
 * the seed, masked to 63 bits. Both are the engines' own functions, so the same engine version
 * gives the same rows every time; the run records the SQL and the engine version.
 *
 * @example
 * ```ts
 * rowHashSql("duckdb", ["x", "y"], 42); // hash("x", "y", CAST(42 AS BIGINT))
 * ```
 */
export function rowHashSql(engine: "duckdb" | "postgres", columns: readonly string[], seed: number): string {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new DwError("INVALID_INPUT", `The seed ${seed} is not a non-negative integer.`, {
      hint: "Pass a whole number such as 42.",
      details: { field: "seed" },
    });
  }
  if (!columns.length) throw new DwError("INVALID_INPUT", "A row hash needs at least one column.", { details: { field: "columns" } });
  const cols = columns.map(quoteIdent);
  return engine === "duckdb"
    ? `hash(${cols.join(", ")}, CAST(${seed} AS BIGINT))`
    : `(hashtextextended(CAST(ROW(${cols.join(", ")}) AS TEXT), ${seed}) & 9223372036854775807)`;
}
