import { stat, mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { resolve, relative, basename, extname, isAbsolute, join } from "node:path";
import { z } from "zod";
import { defineTool } from "./defineTool.js";
import type { ToolContext } from "./ToolContext.js";
import { DwError } from "../errors/DwError.js";
import { headRecords, schemaOf, type Dataset } from "../data/Dataset.js";
import { cacheFile } from "../data/dataCache.js";
import { DATASET_ID, DatasetRecord, saveDatasetRecord, type DatasetFormat } from "../data/datasetRecords.js";
import { formatOfPath } from "../data/readDataFile.js";
import { readCachedDataset, rememberDataset } from "../data/readDataset.js";
import { readCsvFile } from "../data/readCsv.js";
import { readDataFile } from "../data/readDataFile.js";
import { kernelDataToArrow } from "../data/kernelData.js";
import { loadSqlDataset } from "../data/sql/loadSqlDataset.js";

export const LoadDatasetInput = z.strictObject({
  path: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A data file, relative to the notebook's folder (or the current folder on the command line): .csv, .tsv, .txt, .json, .ndjson/.jsonl, .parquet, .arrow/.feather/.ipc.",
    ),
  data: z
    .unknown()
    .optional()
    .describe(
      "Data held in the kernel: an array of records [{col: value}], a columnar object {col: [values]}, or an apache-arrow Table. Stored as an Arrow IPC file.",
    ),
  query: z
    .string()
    .min(1)
    .optional()
    .describe("A SQL query whose result to load: over project files and loaded datasets in the embedded DuckDB, or in PostgreSQL with `connection`."),
  connection: z
    .string()
    .min(1)
    .optional()
    .describe(
      "With `query`: a postgres:// URL, or a name whose URL is in the environment variable DW_CONNECTION_<NAME> ('default' also reads DATABASE_URL); the embedded DuckDB when absent or 'duckdb'. The password is never stored.",
    ),
  dataset_id: z
    .string()
    .regex(DATASET_ID, "letters, digits, '.', '_' and '-', starting with a letter or digit")
    .optional()
    .describe("Name to register the dataset under; defaults to the file name without extension (kernel-… or query-… plus a hash prefix for data and queries)."),
  delimiter: z.enum([",", ";", "\t", "|"]).optional().describe("CSV: the field delimiter; sniffed from the first lines when absent."),
  tags: z.array(z.string().min(1)).optional().describe("Labels to find the dataset by with search_datasets."),
});
export type LoadDatasetInput = z.infer<typeof LoadDatasetInput>;

export const LoadDatasetOutput = DatasetRecord.extend({
  preview: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))).describe("The first five rows."),
});
export type LoadDatasetOutput = z.infer<typeof LoadDatasetOutput>;

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
 * Loads data into the workspace from a file (CSV/TSV, JSON, NDJSON, Parquet, Arrow IPC), from
 * kernel values, or from a SQL query: types its columns, stores a content-addressed copy under
 * `.dw/cache/`, and records the dataset so `train_model` can take its `dataset_id`.
 *
 * @example
 * ```ts
 * const weather = await dw.loadDataset({ path: "data/seattle-weather.csv" });
 * weather.rows; // 1461
 * const small = await dw.loadDataset({ data: [{ x: 1, y: "a" }, { x: 2, y: "b" }], dataset_id: "small" });
 * small.format; // "arrow"
 * ```
 */
export const loadDataset = defineTool({
  name: "load_dataset",
  annotations: { effect: "writes", long: true },
  description:
    "Load a dataset from a file (CSV, TSV, JSON, NDJSON, Parquet, Arrow), kernel values (records, columns, an Arrow table) or a SQL query: typed columns, a content hash, a preview; registers it under dataset_id.",
  input: LoadDatasetInput,
  output: LoadDatasetOutput,
  magic: { positional: "path" },
  async run(input, ctx) {
    const given = (["path", "data", "query"] as const).filter((k) => input[k] !== undefined);
    if (given.length !== 1) {
      throw new DwError(
        "INVALID_INPUT",
        given.length === 0 ? "load_dataset needs a source: path, data or query." : `load_dataset takes one source, but got ${given.join(" and ")}.`,
        {
          hint: "Pass exactly one of: path (a file), data (kernel values), query (SQL, with an optional connection).",
          details: { field: given[1] ?? "path" },
        },
      );
    }
    if (input.connection !== undefined && input.query === undefined) {
      throw new DwError("INVALID_INPUT", "connection is only used with query.", {
        hint: "Pass a query to run on that connection, or drop connection.",
        details: { field: "connection" },
      });
    }
    const loaded =
      input.path !== undefined
        ? await fromPath(input.path, input.delimiter, ctx)
        : input.query !== undefined
          ? await fromQuery(input.query, input.connection, ctx)
          : await fromKernel(input.data);
    try {
      return await register(loaded, input, ctx);
    } finally {
      await loaded.cleanup?.();
    }
  },
});

async function fromPath(path: string, delimiter: string | undefined, ctx: ToolContext): Promise<Loaded> {
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

async function fromQuery(query: string, connection: string | undefined, ctx: ToolContext): Promise<Loaded> {
  const out = await loadSqlDataset(ctx, { query, connection });
  return {
    file: out.file,
    format: "parquet",
    source: `sql:${out.engine}`,
    provenance: { query, engine: out.engine, connection: out.connection },
    cleanup: out.cleanup,
  };
}

async function register(loaded: Loaded, input: LoadDatasetInput, ctx: ToolContext): Promise<LoadDatasetOutput> {
  return ctx.workspace.withLock(async () => {
    const { sha256, size } = await cacheFile(ctx.workspace, loaded.file, { remember: loaded.cleanup === undefined });
    const prefix = loaded.format === "arrow" && loaded.source === "kernel" ? "kernel" : "query";
    const datasetId = input.dataset_id ?? loaded.defaultId ?? `${prefix}-${sha256.slice(0, 8)}`;
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
      ...(input.tags !== undefined ? { tags: [...new Set(input.tags)] } : {}),
    };
    await saveDatasetRecord(ctx.workspace, rec);
    if (loaded.ds && loaded.readStat) {
      const now = await stat(loaded.file).catch(() => null);
      if (now && now.size === loaded.readStat.size && now.mtimeMs === loaded.readStat.mtimeMs) await rememberDataset(ctx.workspace, rec, ds);
    }
    return { ...rec, preview: headRecords(ds, 5) };
  });
}

function defaultId(file: string): string {
  const stem = basename(file, extname(file))
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "");
  return (stem || "dataset").slice(0, 128);
}
