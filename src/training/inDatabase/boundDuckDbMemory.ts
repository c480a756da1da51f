import { totalmem } from "node:os";
import type { SqlEngine } from "../../data/sql/sqlEngine.js";

/** Share of the machine's memory an in-database fit or sample lets DuckDB use. */
const DUCKDB_MEMORY_SHARE = 0.25;

/**
 * Caps the memory of an embedded DuckDB session at a quarter of the machine's RAM. DuckDB runs
 * inside dw's process (a kernel, the CLI) and by default keeps up to 80 % of RAM, mostly as its
 * cache of the blocks a scan has read: scanning a 14 GB table file took the process past 12 GB in
 * a minute although these queries hold nothing that grows with the rows but that cache (and the
 * medians, bounded per scan by trainLinearInDatabase). Past the cap DuckDB evicts cached blocks.
 * PostgreSQL runs in its own server and needs nothing here.
 *
 * @example
 * ```ts
 * const db = await openSqlEngine(ctx, source, { readInPlace: true });
 * await boundDuckDbMemory(db); // SET memory_limit = '6144MiB' on a 24 GiB machine
 * ```
 */
export async function boundDuckDbMemory(db: SqlEngine): Promise<void> {
  if (db.engine !== "duckdb") return;
  const mb = Math.max(256, Math.floor((totalmem() * DUCKDB_MEMORY_SHARE) / 2 ** 20));
  await db.all(`SET memory_limit = '${mb}MiB'`);
}
