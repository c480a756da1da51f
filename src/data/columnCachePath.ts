import { join } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import type { DatasetFormat } from "./datasetRecords.js";

/**
 * Bumped whenever a reader changes what it makes of the same bytes (inference rules, null
 * tokens), so columns read by an older dw are read again instead of trusted. Part of the data
 * version (src/data/profileCacheKey.ts), so a new reader also invalidates every stored profile.
 */
export const READER_VERSION = 2;

export interface ColumnCacheRef {
  sha256: string;
  format: DatasetFormat;
  delimiter?: string;
}

/**
 * Where the columns read from a cached file are kept as Arrow IPC: `.dw/cache/columns/<sha256>.<format>[.<delimiter code>].v<N>.arrow`.
 * Parsing a CSV of a million rows takes seconds; reading these columns back takes a fraction of
 * that, so a new kernel, `dw serve` or the CLI does not parse the same text again. In a file of
 * its own, without Arrow: the profile cache's key is this name, and a profile read from the cache
 * should not cost loading Arrow.
 *
 * @example
 * ```ts
 * columnCachePath(ws, { sha256, format: "csv", delimiter: "," }); // ".dw/cache/columns/1630…f6d1.csv.44.v2.arrow"
 * ```
 */
export function columnCachePath(ws: Workspace, ref: ColumnCacheRef): string {
  const delimiter = ref.delimiter ? `.${ref.delimiter.charCodeAt(0)}` : "";
  return join(ws.dwDir, "cache", "columns", `${ref.sha256}.${ref.format}${delimiter}.v${READER_VERSION}.arrow`);
}
