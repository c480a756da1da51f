import { DwError } from "../../errors/DwError.js";
import { quoteIdent } from "../../data/sql/sqlText.js";
import type { SqlColumn } from "../../data/sql/columnKinds.js";
import type { RowHash } from "./RowHash.js";

/**
 * A SQL expression giving each row a non-negative 64-bit integer from its values and a seed: what
 * the in-database split (`% 1000000 < test share`) and the seeded sample (`ORDER BY … LIMIT n`)
 * are defined by. Rows have no order or key in SQL, so a row is known by its content: equal rows
 * get equal hashes (and so land on the same side of a split, which keeps duplicates out of the
 * holdout). DuckDB: `hash(col, …, seed)`; PostgreSQL: `hash_record_extended` of the row with the
 * seed, masked to 63 bits. Both are the engines' own functions, so the same engine version gives
 * the same rows every time; the run records the SQL, the function and the engine version.
 *
 * PostgreSQL hashes each value in its binary form, about 4× cheaper a row than hashing the row's
 * text (`hashtextextended(ROW(…)::text)`, which formats every number first, as an export does) and
 * computed in every scan of the in-database fit. Text-kind columns are hashed as their text,
 * because some types dw reads as text (json, point) have no hash function. `hashtextextended` is
 * still generated, word for word as before, for servers older than 14 (which lack
 * hash_record_extended) and to repeat runs recorded with it.
 *
 * @example
 * ```ts
 * rowHashSql("duckdb", [{ name: "x", kind: "number" }, { name: "y", kind: "number" }], 42); // hash("x", "y", CAST(42 AS BIGINT))
 * ```
 */
export function rowHashSql(engine: "duckdb" | "postgres", columns: readonly SqlColumn[], seed: number, fn?: RowHash): string {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new DwError("INVALID_INPUT", `The seed ${seed} is not a non-negative integer.`, {
      hint: "Pass a whole number such as 42.",
      details: { field: "seed" },
    });
  }
  if (!columns.length) throw new DwError("INVALID_INPUT", "A row hash needs at least one column.", { details: { field: "columns" } });
  const use = fn ?? (engine === "duckdb" ? "hash" : "hash_record_extended");
  if ((use === "hash") !== (engine === "duckdb")) {
    throw new DwError("INVALID_INPUT", `The row hash ${use} is not a ${engine === "duckdb" ? "DuckDB" : "PostgreSQL"} function.`, {
      hint: engine === "duckdb" ? "DuckDB rows are hashed with hash." : "PostgreSQL rows are hashed with hash_record_extended or hashtextextended.",
      details: { field: "row_hash", engine },
    });
  }
  if (use === "hash") return `hash(${columns.map((c) => quoteIdent(c.name)).join(", ")}, CAST(${seed} AS BIGINT))`;
  if (use === "hashtextextended")
    return `(hashtextextended(CAST(ROW(${columns.map((c) => quoteIdent(c.name)).join(", ")}) AS TEXT), ${seed}) & 9223372036854775807)`;
  const values = columns.map((c) => (c.kind === "string" ? `CAST(${quoteIdent(c.name)} AS TEXT)` : quoteIdent(c.name)));
  return `(hash_record_extended(ROW(${values.join(", ")}), ${seed}) & 9223372036854775807)`;
}
