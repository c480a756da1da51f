import { readFile } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { readDatasetRecord, type DatasetRecord } from "./datasetRecords.js";
import { cachePath } from "./dataCache.js";
import { parseCsv } from "./parseCsv.js";
import type { Dataset } from "./Dataset.js";

/**
 * A registered dataset, read from the workspace's content-addressed copy (not the original file,
 * which may have changed since load_dataset). Unknown ids are a NOT_FOUND error listing the known ones.
 */
export async function readDataset(ws: Workspace, datasetId: string): Promise<{ record: DatasetRecord; ds: Dataset }> {
  const record = await readDatasetRecord(ws, datasetId);
  const ds = parseCsv(await readFile(cachePath(ws, record.sha256), "utf8"), record.source);
  return { record, ds };
}
