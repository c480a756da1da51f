import { open, stat } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readDatasetRecord, type DatasetFormat, type DatasetRecord } from "./datasetRecords.js";
import { cachePath } from "./dataCache.js";
import type { Dataset } from "./Dataset.js";
import { readColumnCache, worthColumnCache, writeColumnCache } from "./columnCache.js";

/**
 * A registered dataset, read from the workspace's content-addressed copy (not the original file,
 * which may have changed since load_dataset). Unknown ids are a NOT_FOUND error listing the known ones.
 */
export async function readDataset(ws: Workspace, datasetId: string): Promise<{ record: DatasetRecord; ds: Dataset }> {
  const record = await readDatasetRecord(ws, datasetId);
  const ds = await readCachedDataset(ws, record);
  return { record, ds };
}

/**
 * The cached copy with this sha256, read as `format` (CSV when a run manifest written before
 * formats existed gives none: the first bytes tell Parquet and Arrow apart from text). A file
 * missing from `.dw/cache` is fetched from the team's shared cache when one is configured.
 * The file readers and the shared cache's clients are imported only when needed (a column-cache
 * miss, a missing file): a tool reading a cached dataset's columns loads neither (~150 ms of CPU).
 */
export async function readCachedDataset(ws: Workspace, ref: { sha256: string; source: string; format?: DatasetFormat; delimiter?: string }): Promise<Dataset> {
  const file = cachePath(ws, ref.sha256);
  if (!(await stat(file).catch(() => null))) {
    const { fetchFromSharedCache } = await import("./sharedCache/fetchFromSharedCache.js");
    const shared = await fetchFromSharedCache(ws, ref.sha256, ref.source);
    if (!shared.fetched) throw notCached(ref, shared.location);
  }
  const format = ref.format ?? (await sniffFormat(file, ref));
  const key = cacheKey(file, format, ref.delimiter);
  const hit = recent.get(key);
  if (hit) {
    recent.delete(key);
    recent.set(key, hit);
    return hit.ds;
  }
  const columnRef = { sha256: ref.sha256, format, delimiter: ref.delimiter };
  let ds = worthColumnCache(format) ? await readColumnCache(ws, columnRef, ref.source) : null;
  if (!ds) {
    const { readDataFile } = await import("./readDataFile.js");
    ds = await readDataFile(file, ref.source, format, ref.delimiter);
    await writeColumnCache(ws, columnRef, ds);
  }
  remember(key, ds);
  return ds;
}

/**
 * Hands load_dataset's freshly read columns to the next reader of the cached copy, in this
 * process and (through the column cache) in any other, so no tool after a load parses the file
 * again. Only for columns read from exactly the bytes that were hashed (the caller checks the
 * file did not change in between).
 */
export async function rememberDataset(ws: Workspace, ref: { sha256: string; format: DatasetFormat; delimiter?: string }, ds: Dataset): Promise<void> {
  remember(cacheKey(cachePath(ws, ref.sha256), ref.format, ref.delimiter), ds);
  await writeColumnCache(ws, ref, ds);
}

/** Drops the datasets kept in memory (the next read comes from disk): frees their memory, and lets a benchmark or test read as a new process would. */
export function forgetReadDatasets(): void {
  recent.clear();
  recentBytes = 0;
}

function cacheKey(file: string, format: DatasetFormat, delimiter: string | undefined): string {
  return `${file}\0${format}\0${delimiter ?? ""}`;
}

/**
 * The datasets read last, by cached file: the file is content-addressed, so its columns never
 * change, and a gate, a profile and a training on the same 3 million rows read them once
 * instead of three times. Least recently used go first past DW_DATASET_CACHE_MB (default 1024)
 * of typed arrays and pointers. Callers share these objects: a Dataset is never modified.
 */
const recent = new Map<string, { ds: Dataset; bytes: number }>();
let recentBytes = 0;

function remember(key: string, ds: Dataset): void {
  const limit = (Number(process.env.DW_DATASET_CACHE_MB) || 1024) * 1_000_000;
  const bytes = ds.rows * ds.columns.length * 8;
  if (bytes > limit) return;
  const old = recent.get(key);
  if (old) {
    recentBytes -= old.bytes;
    recent.delete(key);
  }
  recent.set(key, { ds, bytes });
  recentBytes += bytes;
  for (const [k, v] of recent) {
    if (recentBytes <= limit) break;
    recent.delete(k);
    recentBytes -= v.bytes;
  }
}

async function sniffFormat(file: string, ref: { sha256: string; source: string }): Promise<DatasetFormat> {
  const fh = await open(file, "r").catch(() => {
    throw notCached(ref);
  });
  try {
    const head = Buffer.alloc(8);
    await fh.read(head, 0, 8, 0);
    if (head.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
    if (head.subarray(0, 6).toString("latin1") === "ARROW1" || head.readUInt32LE(0) === 0xffffffff) return "arrow";
    return "csv";
  } finally {
    await fh.close();
  }
}

/** `sharedCache`: the shared cache that was tried (null: none is configured; undefined: not asked). */
function notCached(ref: { sha256: string; source: string }, sharedCache?: string | null): DwError {
  const tried =
    sharedCache === undefined
      ? ""
      : sharedCache === null
        ? ", and no shared cache is configured to fetch it from"
        : `, and the shared cache at ${sharedCache} does not hold it either`;
  return new DwError("NOT_FOUND", `The data of ${ref.source} (sha256 ${ref.sha256.slice(0, 12)}) is no longer in .dw/cache${tried}.`, {
    hint:
      sharedCache === null
        ? "Load it again with load_dataset, or point this clone at the team's shared cache (git config dw.cache <folder or s3://bucket/prefix>; see docs/shared-cache.md)."
        : sharedCache
          ? "Load it again with load_dataset, or push it from a clone that has it (dw push)."
          : "Load it again with load_dataset.",
    details: { sha256: ref.sha256, ...(sharedCache ? { shared_cache: sharedCache } : {}) },
  });
}
