import { extname } from "node:path";
import type { Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import type { DatasetFormat } from "./datasetRecords.js";
import { readCsvFile } from "./readCsv.js";
import { readJsonFile, readNdjsonFile } from "./readJson.js";
import { readParquetFile } from "./readParquet.js";
import { readArrowFile } from "./arrowIpc.js";

/** File extensions load_dataset reads, and the format each means. */
export const EXTENSIONS: Readonly<Record<string, DatasetFormat>> = {
  ".csv": "csv",
  ".txt": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".parquet": "parquet",
  ".pq": "parquet",
  ".arrow": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
  ".arrows": "arrow",
};

/** The format a file's extension names, or an INVALID_INPUT error listing the extensions dw reads. */
export function formatOfPath(path: string): DatasetFormat {
  const ext = extname(path).toLowerCase();
  const format = EXTENSIONS[ext];
  if (!format) {
    throw new DwError("INVALID_INPUT", `'${path}' is a ${ext ? `${ext} file` : "file without an extension"}, which load_dataset does not read.`, {
      hint: `Supported extensions: ${Object.keys(EXTENSIONS).join(", ")}. Export the data in one of these formats, or rename the file if its extension is wrong.`,
      details: { field: "path", extension: ext },
    });
  }
  return format;
}

/** Reads a data file of a known format into columns. */
export async function readDataFile(file: string, source: string, format: DatasetFormat, delimiter?: string): Promise<Dataset> {
  switch (format) {
    case "csv":
      return (await readCsvFile(file, source, delimiter)).ds;
    case "tsv":
      return (await readCsvFile(file, source, delimiter ?? "\t")).ds;
    case "json":
      return readJsonFile(file, source);
    case "ndjson":
      return readNdjsonFile(file, source);
    case "parquet":
      return readParquetFile(file, source);
    case "arrow":
      return readArrowFile(file, source);
  }
}
