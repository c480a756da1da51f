import { stat, mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { resolve, relative, basename, extname, isAbsolute, join } from "node:path";
import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError } from "../errors/DwError.js";
import { schemaOf, type Dataset } from "./Dataset.js";
import { cacheFile, cachePath, dropCopy, hashFile, knownHash, settleCopy, stageCopy, type StagedCopy } from "./dataCache.js";
import { saveDatasetRecord, type DatasetFormat, type DatasetRecord } from "./datasetRecords.js";
import { formatOfPath, readDataFile } from "./readDataFile.js";
import { readCsvFile, sniffCsvDelimiter } from "./readCsv.js";
import { PARALLEL_MIN_BYTES } from "./readCsvParallel.js";
import { CsvWorkerPool } from "./CsvWorkerPool.js";
import { nameFrom } from "../workspace/refNames.js";

/** Where a dataset comes from: a data file, values held in the kernel, or a SQL query. */
export type DatasetSource = { path: string; delimiter?: string } | { data: unknown } | { query: string; connection?: string };

/** What a source yields before it is registered: the file to cache, how to describe it, and its columns if already read. */
interface Loaded {
  file: string;
  format: DatasetFormat;
  source: string;
  defaultId?: string;
  ds?: Dataset;
  delimiter?: string;
  /** The file's bytes as already cached: a copy staged (hashed and read), or the hash of an unchanged file cached before. */
  cached?: { copy: StagedCopy; sha256: string; size: number } | { sha256: string; size: number };
  provenance?: Pick<DatasetRecord, "query" | "engine" | "connection">;
  cleanup?: () => Promise<void>;
}

/**
 * Loads data into the workspace from a file (CSV/TSV, JSON, NDJSON, Parquet, Arrow IPC; relative
 * to `ctx.cwd`), from kernel values, or from a SQL query: types its columns, stores a
 * content-addressed copy under `.dw/cache/`, and records the dataset under `datasetId` (by default
 * the file name, or kernel-… / query-… and a hash prefix). Returns the record and the columns read.
 *
 * @example
 * ```ts
 * const { record } = await ingestDataset(ctx, { path: "data/seattle-weather.csv" });
 * record.rows; // 1461
 * ```
 */
export async function ingestDataset(
  ctx: DomainContext,
  source: DatasetSource,
  args: { datasetId?: string; tags?: string[] } = {},
): Promise<{ record: DatasetRecord; ds: Dataset }> {
  const loaded =
    "path" in source
      ? await fromPath(source.path, source.delimiter, ctx)
      : "query" in source
        ? await fromQuery(source.query, source.connection, ctx)
        : await fromKernel(source.data);
  // Columns parsed from the staged copy are exactly those of the cached bytes: kept for the next
  // reader (in memory, and in the column cache, written while the copy is settled and recorded).
  const { cached, ds, format, delimiter } = loaded;
  const kept =
    cached && "copy" in cached && ds
      ? import("./readDataset.js").then((m) => m.rememberDataset(ctx.workspace, { sha256: cached.sha256, format, delimiter }, ds))
      : null;
  try {
    return await register(loaded, args, ctx);
  } finally {
    await kept;
    await loaded.cleanup?.();
    // A staged copy not settled (registering failed) is removed; a settled one is no longer there.
    if (loaded.cached && "copy" in loaded.cached) await dropCopy(loaded.cached.copy);
  }
}

async function fromPath(path: string, delimiter: string | undefined, ctx: DomainContext): Promise<Loaded> {
  const file = resolve(ctx.cwd, path);
  const st = await stat(file).catch(() => null);
  if (!st?.isFile()) {
    throw new DwError("NOT_FOUND", `No file at '${path}' (looked in ${ctx.cwd}).`, {
      hint: "Give a path relative to the notebook's folder, e.g. data/seattle-weather.csv.",
      details: { field: "path", path: file },
    });
  }
  const format = formatOfPath(path);
  if (delimiter !== undefined && format !== "csv" && format !== "tsv") {
    throw new DwError("INVALID_INPUT", `delimiter applies to CSV and TSV files; '${path}' is ${format}.`, {
      hint: "Drop delimiter.",
      details: { field: "delimiter" },
    });
  }
  if (st.size === 0)
    throw new DwError("DATA_ERROR", `${path} is empty (0 bytes).`, { hint: "Check that the file was written completely.", details: { file: path } });
  const rel = relative(ctx.workspace.root, file);
  const source = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
  const csv = format === "csv" || format === "tsv";
  const given = delimiter ?? (format === "tsv" ? "\t" : undefined);
  const base = { file, format, source, defaultId: defaultId(file) };
  const ws = ctx.workspace;
  // An unchanged file cached before: its columns come from the column cache, without reading the file.
  const known = await knownHash(ws, file, st);
  if (known) {
    const { readCachedDataset } = await import("./readDataset.js");
    const d = csv ? (given ?? (await sniffCsvDelimiter(cachePath(ws, known), path))) : undefined;
    const ds = await readCachedDataset(ws, { sha256: known, source: path, format, delimiter: d });
    return { ...base, ds, delimiter: d, cached: { sha256: known, size: st.size } };
  }
  // Otherwise one copy into the cache, hashed while it is parsed: what is read is what is kept.
  // While the kernel copies, the modules that read cached data load (the shared cache's: 0.1 s of
  // CPU) and the threads that parse a large CSV in parts start (50-150 ms of CPU each).
  import("./readDataset.js").catch(() => undefined);
  const pool = csv && st.size >= PARALLEL_MIN_BYTES && CsvWorkerPool.defaultSize() > 1 ? new CsvWorkerPool() : undefined;
  try {
    const copy = await stageCopy(ws, file);
    try {
      const [sha256, read] = await Promise.all([
        hashFile(copy.tmp),
        csv ? readCsvFile(copy.tmp, path, given, { pool }) : readDataFile(copy.tmp, path, format).then((ds) => ({ ds, delimiter: undefined })),
      ]);
      return { ...base, ds: read.ds, delimiter: read.delimiter, cached: { copy, sha256, size: copy.size } };
    } catch (e) {
      await dropCopy(copy);
      throw e;
    }
  } finally {
    await pool?.close();
  }
}

async function fromKernel(data: unknown): Promise<Loaded> {
  const { kernelDataToArrow } = await import("./kernelData.js");
  const bytes = kernelDataToArrow(data);
  const dir = await mkdtemp(join(tmpdir(), "dw-data-"));
  const file = join(dir, "data.arrow");
  await writeFile(file, bytes);
  return { file, format: "arrow", source: "kernel", cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function fromQuery(query: string, connection: string | undefined, ctx: DomainContext): Promise<Loaded> {
  const { loadSqlDataset } = await import("./sql/loadSqlDataset.js");
  const out = await loadSqlDataset(ctx, { query, connection });
  return {
    file: out.file,
    format: "parquet",
    source: `sql:${out.engine}`,
    provenance: { query, engine: out.engine, connection: out.connection },
    cleanup: out.cleanup,
  };
}

async function register(loaded: Loaded, args: { datasetId?: string; tags?: string[] }, ctx: DomainContext): Promise<{ record: DatasetRecord; ds: Dataset }> {
  return ctx.workspace.withLock(async () => {
    const cached = loaded.cached;
    if (cached && "copy" in cached) await settleCopy(ctx.workspace, cached.copy, cached.sha256);
    const { sha256, size } = cached ?? (await cacheFile(ctx.workspace, loaded.file, { remember: loaded.cleanup === undefined }));
    const prefix = loaded.format === "arrow" && loaded.source === "kernel" ? "kernel" : "query";
    const datasetId = args.datasetId ?? loaded.defaultId ?? `${prefix}-${sha256.slice(0, 8)}`;
    const source = loaded.source === "kernel" ? `kernel:${datasetId}` : loaded.source;
    // Kernel values and query results are read back from the cached copy: what is registered is what later reads see.
    const ds = loaded.ds ?? (await (await import("./readDataset.js")).readCachedDataset(ctx.workspace, { sha256, source, format: loaded.format }));
    const rec: DatasetRecord = {
      dataset_id: datasetId,
      source,
      format: loaded.format,
      sha256,
      size_bytes: size,
      rows: ds.rows,
      columns: schemaOf(ds),
      loaded_at: ctx.now().toISOString(),
      ...(loaded.delimiter !== undefined ? { delimiter: loaded.delimiter } : {}),
      ...(loaded.provenance ?? {}),
      ...(args.tags !== undefined ? { tags: [...new Set(args.tags)] } : {}),
    };
    await saveDatasetRecord(ctx.workspace, rec);
    return { record: rec, ds };
  });
}

function defaultId(file: string): string {
  return nameFrom(basename(file, extname(file)), 128) || "dataset";
}
