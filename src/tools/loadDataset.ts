import { readFile, stat } from "node:fs/promises";
import { resolve, relative, basename, extname, isAbsolute } from "node:path";
import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { parseCsv } from "../data/parseCsv.js";
import { headRecords, schemaOf } from "../data/Dataset.js";
import { cacheFile } from "../data/dataCache.js";
import { DATASET_ID, DatasetRecord, saveDatasetRecord } from "../data/datasetRecords.js";

export const LoadDatasetInput = z.strictObject({
  path: z.string().min(1).describe("CSV file to load, relative to the notebook's folder (or the current folder on the command line)."),
  dataset_id: z
    .string()
    .regex(DATASET_ID, "letters, digits, '.', '_' and '-', starting with a letter or digit")
    .optional()
    .describe("Name to register the dataset under; defaults to the file name without extension."),
});
export type LoadDatasetInput = z.infer<typeof LoadDatasetInput>;

export const LoadDatasetOutput = DatasetRecord.extend({
  preview: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))).describe("The first five rows."),
});
export type LoadDatasetOutput = z.infer<typeof LoadDatasetOutput>;

/**
 * Loads a CSV file into the workspace: types its columns, stores a content-addressed copy under
 * `.dw/cache/`, and records the dataset so `train_model` can take its `dataset_id`.
 *
 * @example
 * ```ts
 * const weather = await dw.loadDataset({ path: "data/seattle-weather.csv" });
 * weather.rows; // 1461
 * ```
 */
export const loadDataset = defineTool({
  name: "load_dataset",
  description: "Load a CSV file as a dataset: typed columns, a content hash, a preview; registers it under dataset_id.",
  input: LoadDatasetInput,
  output: LoadDatasetOutput,
  magic: { positional: "path" },
  async run(input, ctx) {
    const file = resolve(ctx.cwd, input.path);
    const st = await stat(file).catch(() => null);
    if (!st || !st.isFile()) {
      throw new DwError("NOT_FOUND", `No file at '${input.path}' (looked in ${ctx.cwd}).`, {
        hint: "Give a path relative to the notebook's folder, e.g. data/seattle-weather.csv.",
        details: { field: "path", path: file },
      });
    }
    const ext = extname(file).toLowerCase();
    if (ext !== ".csv" && ext !== ".tsv" && ext !== ".txt") {
      throw new DwError("INVALID_INPUT", `'${input.path}' is a ${ext || "extension-less"} file; load_dataset reads CSV files for now.`, {
        hint: "Export the data as CSV.",
        details: { field: "path" },
      });
    }
    const text = await readFile(file, "utf8");
    const ds = parseCsv(text, input.path);
    const datasetId = input.dataset_id ?? defaultId(file);
    const rel = relative(ctx.workspace.root, file);
    const source = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
    const record: DatasetRecord = await ctx.workspace.withLock(async () => {
      const { sha256, size } = await cacheFile(ctx.workspace, file);
      const rec: DatasetRecord = {
        dataset_id: datasetId,
        source,
        format: "csv",
        sha256,
        size_bytes: size,
        rows: ds.rows,
        columns: schemaOf(ds),
        loaded_at: ctx.now().toISOString(),
      };
      await saveDatasetRecord(ctx.workspace, rec);
      return rec;
    });
    return { ...record, preview: headRecords(ds, 5) };
  },
});

function defaultId(file: string): string {
  const stem = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return (stem || "dataset").slice(0, 128);
}
