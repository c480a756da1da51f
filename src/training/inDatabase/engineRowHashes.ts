import { DwError } from "../../errors/DwError.js";
import type { SqlEngine } from "../../data/sql/sqlEngine.js";
import type { RowHash } from "./RowHash.js";
import { rowHashesFor } from "./rowHashesFor.js";

/**
 * The row hashes an open engine can compute (rowHashesFor on its server_version_num), the one a
 * new run uses first; asked once when the engine opens, so that SQL dw generates never fails with
 * a bare "function does not exist". A PostgreSQL older than 11 is a DwError with what to do.
 *
 * @example
 * ```ts
 * const [use] = await engineRowHashes(db); // "hash_record_extended" on PostgreSQL 16
 * ```
 */
export async function engineRowHashes(db: SqlEngine): Promise<RowHash[]> {
  if (db.engine === "duckdb") return rowHashesFor("duckdb", 0);
  const [[num]] = await db.all("SELECT current_setting('server_version_num')");
  const version = Number(num);
  const hashes = rowHashesFor("postgres", version);
  if (!hashes.length) {
    throw new DwError(
      "CONNECTION_ERROR",
      `The PostgreSQL server is version ${String(num)}: its rows cannot be hashed for a seeded split or sample (hashtextextended arrived in PostgreSQL 11, hash_record_extended in 14).`,
      {
        hint: "Upgrade the server to PostgreSQL 14 or later, or load the table with load_dataset and train on the loaded dataset.",
        details: { field: "connection", server_version_num: version },
      },
    );
  }
  return hashes;
}
