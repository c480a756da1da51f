import { basename } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import type { DatasetFormat } from "./datasetRecords.js";
import { DwError } from "../errors/DwError.js";
import { columnCachePath } from "./columnCachePath.js";

/**
 * What makes two datasets the same data: the sha256 of the cached file's bytes, the format and
 * delimiter it is read with, and the reader's version (a reader that changes what it makes of the
 * same bytes changes the columns). Spelled as the column cache names its file, without `.arrow`,
 * so the two caches agree on what a data version is without a second copy of the rule.
 */
export type DataVersion = string;

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The data version of a registered dataset (its record, or a run manifest's data reference).
 *
 * @example
 * ```ts
 * dataVersion(ws, { sha256: record.sha256, format: "csv", delimiter: "," }); // "1630…f6d1.csv.44.v2"
 * ```
 */
export function dataVersion(ws: Workspace, ref: { sha256: string; format: DatasetFormat; delimiter?: string }): DataVersion {
  // A record is a file anyone can edit: its hash becomes part of a file name, so it must be one.
  if (!SHA256.test(ref.sha256)) {
    throw new DwError("DATA_ERROR", `'${ref.sha256.slice(0, 80)}' is not a sha256 (64 lowercase hex digits).`, {
      hint: "Load the dataset again with load_dataset, which records its hash.",
      details: { field: "sha256" },
    });
  }
  return basename(columnCachePath(ws, ref)).replace(/\.arrow$/, "");
}
