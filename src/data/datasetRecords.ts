import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { documentText } from "../workspace/documentText.js";
import { DwError } from "../errors/DwError.js";
import { parseDocument } from "../workspace/parseDocument.js";
import { DATASET_ID } from "../workspace/refNames.js";

export const DatasetFormat = z.enum(["csv", "tsv", "json", "ndjson", "parquet", "arrow"]);
export type DatasetFormat = z.infer<typeof DatasetFormat>;

export const DatasetRecord = z.object({
  dataset_id: z.string(),
  source: z
    .string()
    .describe(
      "Where the data came from: the file (relative to the workspace root when inside it), 'kernel:<id>' for kernel values, 'sql:<engine>' for a query.",
    ),
  format: DatasetFormat.describe(
    "The format of the cached copy under .dw/cache: csv and tsv as loaded, json, ndjson, parquet, arrow (kernel values are stored as Arrow IPC files).",
  ),
  sha256: z.string(),
  size_bytes: z.number().int(),
  rows: z.number().int(),
  columns: z.array(z.object({ name: z.string(), type: z.enum(["number", "boolean", "date", "string"]), nulls: z.number().int() })),
  loaded_at: z.string(),
  delimiter: z.string().length(1).optional().describe("CSV and TSV: the field delimiter found when the file was loaded."),
  query: z.string().optional().describe("For a dataset loaded from SQL: the query whose result this is."),
  engine: z.enum(["duckdb", "postgres"]).optional().describe("For a dataset loaded from SQL: the database engine."),
  connection: z.string().optional().describe("For a dataset loaded from SQL: the connection it ran on, without any password."),
  tags: z.array(z.string()).optional().describe("Free labels for search_datasets, e.g. ['weather', 'raw']."),
});
export type DatasetRecord = z.infer<typeof DatasetRecord>;

function recordPath(ws: Workspace, id: string): string {
  return join(ws.dwDir, "datasets", `${id}.json`);
}

export async function saveDatasetRecord(ws: Workspace, rec: DatasetRecord): Promise<void> {
  await atomicWrite(recordPath(ws, rec.dataset_id), documentText(rec));
}

/**
 * The record of a loaded dataset (`.dw/datasets/<id>.json`): NOT_FOUND naming the datasets there
 * are, or a DATA_ERROR naming the file and the field when the record fails its schema.
 */
export async function readDatasetRecord(ws: Workspace, id: string): Promise<DatasetRecord> {
  if (!DATASET_ID.test(id)) {
    throw new DwError("INVALID_INPUT", `'${id}' is not a dataset id.`, {
      hint: "Pass the dataset_id that load_dataset returned.",
      details: { field: "dataset_id" },
    });
  }
  let text: string;
  try {
    text = await readFile(recordPath(ws, id), "utf8");
  } catch {
    const known = await listDatasetIds(ws);
    throw new DwError("NOT_FOUND", `No dataset '${id}' in this workspace.`, {
      hint: known.length
        ? `Known datasets: ${known.join(", ")}. Load a file first with load_dataset.`
        : "Load a file first: %dw load_dataset data/file.csv --as df",
      details: { field: "dataset_id", dataset_id: id },
    });
  }
  const file = `.dw/datasets/${id}.json`;
  return parseDocument(DatasetRecord, text, {
    label: `The record of dataset '${id}' is damaged: ${file}`,
    hint: `Load the data again with load_dataset and dataset_id ${id}, which writes the record anew.`,
    details: { dataset_id: id, file },
  });
}

export async function listDatasetIds(ws: Workspace): Promise<string[]> {
  const names = await readdir(join(ws.dwDir, "datasets")).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -5))
    .sort();
}
