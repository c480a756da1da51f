import { DwError } from "../../errors/DwError.js";
import type { SqlColumn } from "../../data/sql/columnKinds.js";
import { RowHash } from "./RowHash.js";
import { rowHashSql } from "./rowHashSql.js";

/** A run's split as its data/in_database.json records it: the hash SQL and (from its introduction) the function's name. */
export interface RecordedSplitHash {
  /** "model_id run-…": names the run in an error. */
  run: string;
  hash: string;
  row_hash?: RowHash;
}

/**
 * The row hash to repeat a recorded split with. A record that names its function (`row_hash`)
 * is repeated with it. An older record names none: its function is the one whose expression, as
 * dw generates it for the source's columns and the seed, is the recorded `hash` word for word;
 * the recorded SQL itself is never run (it comes from a commit). A record matching no function
 * (edited, or from a dw this one does not know, or over columns the source no longer has) cannot
 * say whether the data changed, so it is a DwError naming the run and both functions.
 *
 * @example
 * ```ts
 * recordedRowHash("postgres", db.columns, 42, { run: "run-1", hash: rec.split.hash }); // "hashtextextended" for a run before 2026-12-05
 * ```
 */
export function recordedRowHash(engine: "duckdb" | "postgres", columns: readonly SqlColumn[], seed: number, split: RecordedSplitHash): RowHash {
  if (split.row_hash !== undefined) return split.row_hash;
  const candidates = RowHash.options.filter((fn) => (fn === "hash") === (engine === "duckdb"));
  const found = candidates.find((fn) => rowHashSql(engine, columns, seed, fn) === split.hash);
  if (found) return found;
  const now = rowHashSql(engine, columns, seed);
  throw new DwError(
    "INVALID_INPUT",
    `${split.run}'s split is defined by ${functionName(split.hash)}, which is not how dw hashes the source's ${columns.length} columns (${columns.map((c) => c.name).join(", ")}) for seed ${seed}: dw would use ${functionName(now)}, so whether the data changed cannot be told.`,
    {
      hint: "If the source's columns changed since the run, restore them (or point a view with the run's columns at it) and reproduce again; if the record was written by another dw version, reproduce with that version.",
      details: { field: "model_id", recorded_hash: split.hash, current_hash: now },
    },
  );
}

/** The function a hash expression calls (its first identifier before a parenthesis), for a message. */
function functionName(sql: string): string {
  return /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(sql)?.[1] ?? JSON.stringify(sql.slice(0, 80));
}
