import { createHash } from "node:crypto";
import type { InDatabaseRun } from "./InDatabaseRun.js";

/**
 * The sha256 an in-database run names its data by: of the engine, the source as given, the row
 * count and the sum of the rows' hashes for the seed (the fingerprint the counts query computes).
 * The same table content gives the same value, whatever the rows' physical order; any changed,
 * added or removed row changes it (but for a 64-bit hash collision).
 */
export function inDatabaseDataSha256(run: Pick<InDatabaseRun, "engine" | "source" | "rows" | "fingerprint">): string {
  const text = JSON.stringify({ engine: run.engine, source: run.source, rows: run.rows.total, fingerprint: run.fingerprint });
  return createHash("sha256").update(text).digest("hex");
}
