import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { DatasetRecord } from "../data/datasetRecords.js";
import { DATASET_ID } from "../workspace/refNames.js";

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
  preview: z
    .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])))
    .describe(
      'The first five rows. A missing value is null; in a number column ±Infinity (a CSV cell `1e999`) is the string "Infinity" or "-Infinity", as JSON has no infinities.',
    ),
});
export type LoadDatasetOutput = z.infer<typeof LoadDatasetOutput>;

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
  annotations: { effect: "writes", long: true, replaces: true, openWorld: true },
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
    const source =
      input.path !== undefined
        ? { path: input.path, delimiter: input.delimiter }
        : input.query !== undefined
          ? { query: input.query, connection: input.connection }
          : { data: input.data };
    const { ingestDataset } = await import("../data/ingestDataset.js");
    const { headRecords } = await import("../data/Dataset.js");
    const { record, ds } = await ingestDataset(ctx, source, { datasetId: input.dataset_id, tags: input.tags });
    return { ...record, preview: headRecords(ds, 5) };
  },
});
