import { stat } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import type { Dataset } from "./Dataset.js";
import type { DatasetFormat } from "./datasetRecords.js";
import { columnCachePath, type ColumnCacheRef } from "./columnCachePath.js";
import { arrowFileChunks, datasetToArrow, readArrowFile } from "./arrowIpc.js";

// The path (and the reader version in it) lives apart from Arrow, for the profile cache's key.
export { READER_VERSION, columnCachePath, type ColumnCacheRef } from "./columnCachePath.js";

/** Arrow files are read as they are; every other format gains from a columnar copy. */
export function worthColumnCache(format: DatasetFormat): boolean {
  return format !== "arrow";
}

/** The columns kept for this file, or null when there are none (or they cannot be read: the caller reads the file and writes them again). */
export async function readColumnCache(ws: Workspace, ref: ColumnCacheRef, source: string): Promise<Dataset | null> {
  const file = columnCachePath(ws, ref);
  if (!(await stat(file).catch(() => null))) return null;
  return readArrowFile(file, source).catch(() => null);
}

/**
 * Keeps `ds` (read from exactly the file with this sha256) for the next reader. Written
 * atomically, so a crash leaves the old state or the whole file. A cache: when it cannot be
 * written (a full disk, a read-only workspace) nothing fails, the next reader parses the file.
 */
export async function writeColumnCache(ws: Workspace, ref: ColumnCacheRef, ds: Dataset): Promise<void> {
  if (!worthColumnCache(ref.format)) return;
  // No fsync: a file a crash left short fails to read as Arrow (its footer is at the end), and is parsed again.
  await arrowFileChunks(datasetToArrow(ds))
    .then((chunks) => atomicWrite(columnCachePath(ws, ref), chunks, { sync: false }))
    .catch(() => undefined);
}
