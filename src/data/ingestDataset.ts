import { stat, mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { resolve, relative, basename, extname, isAbsolute, join } from "node:path";
import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError } from "../errors/DwError.js";
import { schemaOf, type Dataset } from "./Dataset.js";
import { cacheFile } from "./dataCache.js";
import { saveDatasetRecord, type DatasetFormat, type DatasetRecord } from "./datasetRecords.js";
import { formatOfPath, readDataFile } from "./readDataFile.js";
import { readCachedDataset, rememberDataset } from "./readDataset.js";
import { readCsvFile } from "./readCsv.js";
import { kernelDataToArrow } from "./kernelData.js";
import { loadSqlDataset } from "./sql/loadSqlDataset.js";
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
  /** size and mtime of the file when it was read, to tell whether the cached bytes are the ones read. */
  readStat?: { size: number; mtimeMs: number };
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
  try {
    return await register(loaded, args, ctx);
  } finally {
    await loaded.cleanup?.();
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
  if (format === "csv" || format === "tsv") {
    const read = await readCsvFile(file, path, delimiter ?? (format === "tsv" ? "\t" : undefined));
    return { file, format, source, defaultId: defaultId(file), ds: read.ds, delimiter: read.delimiter, readStat: st };
  }
  return { file, format, source, defaultId: defaultId(file), ds: await readDataFile(file, path, format), readStat: st };
}

async function fromKernel(data: unknown): Promise<Loaded> {
  const bytes = kernelDataToArrow(data);
  const dir = await mkdtemp(join(tmpdir(), "dw-data-"));
  const file = join(dir, "data.arrow");
  await writeFile(file, bytes);
  return { file, format: "arrow", source: "kernel", cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function fromQuery(query: string, connection: string | undefined, ctx: DomainContext): Promise<Loaded> {
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
    const { sha256, size } = await cacheFile(ctx.workspace, loaded.file, { remember: loaded.cleanup === undefined });
    const prefix = loaded.format === "arrow" && loaded.source === "kernel" ? "kernel" : "query";
    const datasetId = args.datasetId ?? loaded.defaultId ?? `${prefix}-${sha256.slice(0, 8)}`;
    const source = loaded.source === "kernel" ? `kernel:${datasetId}` : loaded.source;
    // Kernel values and query results are read back from the cached copy: what is registered is what later reads see.
    const ds = loaded.ds ?? (await readCachedDataset(ctx.workspace, { sha256, source, format: loaded.format }));
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
    if (loaded.ds && loaded.readStat) {
      const now = await stat(loaded.file).catch(() => null);
      if (now && now.size === loaded.readStat.size && now.mtimeMs === loaded.readStat.mtimeMs) await rememberDataset(ctx.workspace, rec, ds);
    }
    return { record: rec, ds };
  });
}

function defaultId(file: string): string {
  return nameFrom(basename(file, extname(file)), 128) || "dataset";
}
