import type { Dataset } from "./Dataset.js";
import type { DatasetFormat } from "./datasetRecords.js";

export { EXTENSIONS, formatOfPath } from "./formatOfPath.js";

/**
 * Reads a data file of a known format into columns. Each format's reader is imported when a file
 * of that format is read: a CSV's reader loads no Parquet decoder and its compressors, no Arrow
 * (about 100 ms of CPU each at start-up), and a Parquet file's no CSV scanner.
 */
export async function readDataFile(file: string, source: string, format: DatasetFormat, delimiter?: string): Promise<Dataset> {
  switch (format) {
    case "csv":
      return (await (await import("./readCsv.js")).readCsvFile(file, source, delimiter)).ds;
    case "tsv":
      return (await (await import("./readCsv.js")).readCsvFile(file, source, delimiter ?? "\t")).ds;
    case "json":
      return (await import("./readJson.js")).readJsonFile(file, source);
    case "ndjson":
      return (await import("./readJson.js")).readNdjsonFile(file, source);
    case "parquet":
      return (await import("./readParquet.js")).readParquetFile(file, source);
    case "arrow":
      return (await import("./arrowIpc.js")).readArrowFile(file, source);
  }
}
