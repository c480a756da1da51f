import { readFile, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { totalmem } from "node:os";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Workspace } from "../../workspace/Workspace.js";
import { cachePath } from "../dataCache.js";
import { quoteIdent, quoteLiteral } from "./sqlText.js";
import { readCachedDataset } from "../readDataset.js";
import { fetchFromSharedCache } from "../sharedCache/fetchFromSharedCache.js";
import { duckdbTableFromDataset } from "./duckdbTableFromDataset.js";
import { DwError } from "../../errors/DwError.js";

export interface DuckDbSession {
  conn: DuckDBConnection;
  /** Dataset ids that got a view. */
  views: string[];
  close(): void;
}

/** The DuckDB reader for each dataset format dw records; Arrow (kernel values) is copied into a table instead. */
const READERS: Record<string, string> = {
  csv: "read_csv",
  tsv: "read_csv",
  parquet: "read_parquet",
  sql: "read_parquet",
  json: "read_json_auto",
  ndjson: "read_json_auto",
  jsonl: "read_json_auto",
};

/**
 * An in-memory DuckDB for one call: relative file paths resolve against `cwd` (the notebook's
 * folder), and each registered dataset named in `sqlText` is a view over its cached, content-addressed
 * copy, so a query reads exactly the version load_dataset hashed (a kernel value's, cached as Arrow,
 * is a table holding its columns). Only the datasets the text mentions get one, because DuckDB
 * reads a file's header when a view over it is created.
 *
 * With `database` (a `duckdb:<path>` connection), that DuckDB file is attached read-only as
 * `dw_db` and searched first, so its tables are named as in the file (`orders`, `sales.orders`)
 * and read where they are stored; the dataset views stay reachable after them.
 */
export async function openDuckDb(ws: Workspace, cwd: string, sqlText: string, database?: string): Promise<DuckDbSession> {
  // No extension downloads: a query must never hang on the network or change the machine.
  const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false" });
  const conn = await instance.connect();
  const close = () => {
    conn.closeSync();
    instance.closeSync();
  };
  try {
    await conn.run(`SET file_search_path = ${quoteLiteral(cwd)}`);
    await conn.run("SET TimeZone = 'UTC'");
    await capMemory(conn);
    const views: string[] = [];
    const lower = sqlText.toLowerCase();
    for (const rec of await datasetFiles(ws)) {
      if (!lower.includes(rec.id.toLowerCase())) continue;
      if (!(await isFile(cachePath(ws, rec.sha256))) && !(await fetchFromSharedCache(ws, rec.sha256, rec.id)).fetched) continue;
      const reader = READERS[rec.format];
      if (reader) await conn.run(`CREATE VIEW ${quoteIdent(rec.id)} AS SELECT * FROM ${reader}(${quoteLiteral(cachePath(ws, rec.sha256))})`);
      else if (rec.format === "arrow")
        await duckdbTableFromDataset(conn, rec.id, await readCachedDataset(ws, { sha256: rec.sha256, source: rec.id, format: "arrow" }));
      else continue;
      views.push(rec.id);
    }
    if (database !== undefined) await attachReadOnly(conn, resolve(cwd, database), database);
    return { conn, views, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** Share of the memory dw's process may have that an embedded DuckDB session may keep. */
const DUCKDB_MEMORY_SHARE = 0.25;
const SIZE_UNITS: Record<string, number> = { bytes: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/**
 * DuckDB runs inside dw's process (a kernel, the CLI) and by default keeps up to 80 % of the
 * memory it sees, mostly as its cache of the blocks a scan has read: the seeded sample of a 14 GB
 * table file took the process past 12 GB, and a profile or load_dataset query scans as much. Cap
 * it at a quarter of the machine's memory, or of the container's (process.constrainedMemory)
 * when smaller; never raise DuckDB's own limit, which in a container is already 80 % of the
 * cgroup's. Past the cap DuckDB evicts cached blocks (or spills, or fails the query with its own
 * out-of-memory error) rather than the process being killed. loadSqlDataset applies it to the
 * DuckDB that writes a PostgreSQL query's rows to Parquet.
 */
export async function capMemory(conn: DuckDBConnection): Promise<void> {
  const shown = String((await (await conn.runAndReadAll("SELECT current_setting('memory_limit')")).getRows())[0]?.[0] ?? "");
  const m = /^([\d.]+)\s*(bytes|KiB|MiB|GiB|TiB|KB|MB|GB|TB)$/.exec(shown.trim());
  // A limit this code cannot read is left as DuckDB set it rather than guessed at.
  if (!m) return;
  const decimals = m[1].split(".")[1]?.length ?? 0;
  // DuckDB shows the limit rounded (5.7 GiB): take the smallest value it could be, so the cap never exceeds it.
  const current = (Number(m[1]) - 0.5 * 10 ** -decimals) * SIZE_UNITS[m[2]];
  const constrained = process.constrainedMemory?.() || Infinity;
  const cap = Math.floor((Math.min(totalmem(), constrained) * DUCKDB_MEMORY_SHARE) / 2 ** 20);
  // At least 256 MiB (a small container's quarter), unless DuckDB's own limit is lower still.
  const mib = Math.floor(Math.min(current / 2 ** 20, Math.max(256, cap)));
  if (mib >= 1 && (mib + 1) * 2 ** 20 < current) await conn.run(`SET memory_limit = '${mib}MiB'`);
}

async function attachReadOnly(conn: DuckDBConnection, path: string, given: string): Promise<void> {
  if (!(await isFile(path))) {
    throw new DwError("NOT_FOUND", `No DuckDB database file at '${given}' (looked at ${path}).`, {
      hint: "Give the path of an existing .duckdb file, relative to the notebook's folder: connection duckdb:data/warehouse.duckdb.",
      details: { field: "connection", path },
    });
  }
  try {
    await conn.run(`ATTACH ${quoteLiteral(path)} AS dw_db (READ_ONLY)`);
  } catch (e) {
    throw new DwError("CONNECTION_ERROR", `Could not open the DuckDB database '${given}': ${e instanceof Error ? e.message : String(e)}`, {
      hint: "Check that the file is a DuckDB database written by a compatible DuckDB version, and that no other process holds it open for writing.",
      details: { field: "connection", path },
    });
  }
  await conn.run("SET search_path = 'dw_db.main,memory.main'");
}

/** The registered datasets as (id, format, sha256), read leniently: a record this code does not know is skipped. */
async function datasetFiles(ws: Workspace): Promise<{ id: string; format: string; sha256: string }[]> {
  const dir = join(ws.dwDir, "datasets");
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: { id: string; format: string; sha256: string }[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    try {
      const rec = JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, unknown>;
      if (typeof rec.dataset_id === "string" && typeof rec.sha256 === "string" && typeof rec.format === "string") {
        out.push({ id: rec.dataset_id, format: rec.format.toLowerCase(), sha256: rec.sha256 });
      }
    } catch {
      // A record being written by another process right now; its view is simply absent.
    }
  }
  return out;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
