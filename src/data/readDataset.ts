import { open } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readDatasetRecord, type DatasetFormat, type DatasetRecord } from "./datasetRecords.js";
import { cachePath } from "./dataCache.js";
import type { Dataset } from "./Dataset.js";
import { readDataFile } from "./readDataFile.js";

/**
 * A registered dataset, read from the workspace's content-addressed copy (not the original file,
 * which may have changed since load_dataset). Unknown ids are a NOT_FOUND error listing the known ones.
 */
export async function readDataset(ws: Workspace, datasetId: string): Promise<{ record: DatasetRecord; ds: Dataset }> {
  const record = await readDatasetRecord(ws, datasetId);
  const ds = await readCachedDataset(ws, record);
  return { record, ds };
}

/**
 * The cached copy with this sha256, read as `format` (CSV when a run manifest written before
 * formats existed gives none: the first bytes tell Parquet and Arrow apart from text).
 */
export async function readCachedDataset(ws: Workspace, ref: { sha256: string; source: string; format?: DatasetFormat; delimiter?: string }): Promise<Dataset> {
  const file = cachePath(ws, ref.sha256);
  const format = ref.format ?? (await sniffFormat(file, ref));
  return readDataFile(file, ref.source, format, ref.delimiter);
}

async function sniffFormat(file: string, ref: { sha256: string; source: string }): Promise<DatasetFormat> {
  let fh;
  try {
    fh = await open(file, "r");
  } catch {
    throw new DwError("NOT_FOUND", `The data of ${ref.source} (sha256 ${ref.sha256.slice(0, 12)}) is no longer in .dw/cache.`, {
      hint: "Load the file again with load_dataset.",
      details: { sha256: ref.sha256 },
    });
  }
  try {
    const head = Buffer.alloc(8);
    await fh.read(head, 0, 8, 0);
    if (head.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
    if (head.subarray(0, 6).toString("latin1") === "ARROW1" || head.readUInt32LE(0) === 0xffffffff) return "arrow";
    return "csv";
  } finally {
    await fh.close();
  }
}
