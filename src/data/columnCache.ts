import { join } from "node:path";
import { stat } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWriteChunks } from "./atomicWriteChunks.js";
import type { Dataset } from "./Dataset.js";
import type { DatasetFormat } from "./datasetRecords.js";
import { arrowFileChunks, datasetToArrow, readArrowFile } from "./arrowIpc.js";

/**
 * Bumped whenever a reader changes what it makes of the same bytes (inference rules, null
 * tokens), so columns read by an older dw are read again instead of trusted.
 */
const READER_VERSION = 2;

export interface ColumnCacheRef {
  sha256: string;
  format: DatasetFormat;
  delimiter?: string;
}

/**
 * Where the columns read from a cached file are kept as Arrow IPC: `.dw/cache/columns/<sha256>.<format>[.<delimiter code>].v<N>.arrow`.
 * Parsing a CSV of a million rows takes seconds; reading these columns back takes a fraction of
 * that, so a new kernel, `dw serve` or the CLI does not parse the same text again.
 */
export function columnCachePath(ws: Workspace, ref: ColumnCacheRef): string {
  const delimiter = ref.delimiter ? `.${ref.delimiter.charCodeAt(0)}` : "";
  return join(ws.dwDir, "cache", "columns", `${ref.sha256}.${ref.format}${delimiter}.v${READER_VERSION}.arrow`);
}

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
    .then((chunks) => atomicWriteChunks(columnCachePath(ws, ref), chunks, { sync: false }))
    .catch(() => undefined);
}
