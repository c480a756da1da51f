import { extname } from "node:path";
import { DwError } from "../errors/DwError.js";
import type { DatasetFormat } from "./datasetRecords.js";

// Apart from readDataFile, which loads a reader per format: naming a file's format (what
// load_dataset does first, for every file) loads no reader, no Parquet decoder, no compressor.

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

/**
 * The format a file's extension names, or an INVALID_INPUT error listing the extensions dw reads.
 *
 * @example
 * formatOfPath("data/seattle-weather.csv"); // "csv"
 */
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
