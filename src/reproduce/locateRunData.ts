import { stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { readCachedDataset } from "../data/readDataset.js";
import { cachePath, hashFile } from "../data/dataCache.js";
import { readDataFile } from "../data/readDataFile.js";
import type { Dataset } from "../data/Dataset.js";
import { DatasetRecord } from "../data/datasetRecords.js";
import type { DataManifest } from "../runs/RunRecord.js";

/** The run's data, read from exactly the bytes it was trained on, and where they were found. */
export interface RunData {
  record: DatasetRecord;
  ds: Dataset;
  foundIn: "cache" | "source";
}

/**
 * The data a run was trained on, by the sha256 its manifest records: first the content-addressed
 * cache (the workspace's, then the team's shared one), else the recorded source file, hashed
 * again. Nothing is written to the registry. A source that is not a file (kernel values, SQL), is
 * missing, or whose bytes changed is a DwError naming the hash needed, the path, the hash found
 * and what to do: the model cannot be rebuilt from other data and still be the same model.
 *
 * @example
 * ```ts
 * const data = await locateRunData(ws, manifest, "run 20261128-031502-a1b2c3"); // data.foundIn === "cache"
 * ```
 */
export async function locateRunData(ws: Workspace, manifest: DataManifest, what: string): Promise<RunData> {
  const columns = DatasetRecord.shape.columns.safeParse(manifest.schema);
  if (!columns.success) {
    throw new DwError("DATA_ERROR", `data/manifest.json of ${what} has a schema that is not a list of columns (name, type, nulls).`, {
      hint: "The commit was edited by hand: restore data/manifest.json from the run's first commit.",
      details: { field: "model_id", file: "data/manifest.json" },
    });
  }
  // The record the run saw, rebuilt from its manifest: the dataset id may since name other data.
  const record: DatasetRecord = {
    dataset_id: manifest.dataset_id,
    source: manifest.source,
    format: manifest.format ?? "csv",
    sha256: manifest.sha256,
    size_bytes: manifest.size_bytes,
    rows: manifest.rows,
    columns: columns.data,
    loaded_at: "",
    ...(manifest.delimiter !== undefined ? { delimiter: manifest.delimiter } : {}),
  };
  const ref = { sha256: manifest.sha256, source: manifest.source, format: manifest.format, delimiter: manifest.delimiter };
  await checkCachedCopy(ws, manifest.sha256, what);
  try {
    return { record, ds: await readCachedDataset(ws, ref), foundIn: "cache" };
  } catch (e) {
    if (!isDwError(e) || e.code !== "NOT_FOUND") throw e;
  }
  return { record, ds: await readSource(ws, manifest, what), foundIn: "source" };
}

/**
 * The cached copy's bytes, hashed again: the cache is trusted by its file name everywhere else,
 * but a reproduction that blamed the model for a damaged copy would mislead.
 */
async function checkCachedCopy(ws: Workspace, need: string, what: string): Promise<void> {
  const file = cachePath(ws, need);
  if (!(await stat(file).catch(() => null))?.isFile()) return;
  const found = await hashFile(file);
  if (found === need) return;
  throw new DwError("DATA_ERROR", `The cached copy of the data ${what} was trained on is damaged: ${file} hashes to ${found}, not ${need}.`, {
    hint: `Delete ${file} and run reproduce_run again: the recorded source (or the shared cache) is then read and hashed.`,
    details: { field: "model_id", sha256_needed: need, sha256_found: found, path: file },
  });
}

/** The recorded source file, if its bytes still hash to the manifest's sha256. */
async function readSource(ws: Workspace, manifest: DataManifest, what: string): Promise<Dataset> {
  const need = manifest.sha256;
  const source = manifest.source;
  const details = { field: "model_id", sha256_needed: need, path: source };
  const fetchHint = `or fill the cache with the file of sha256 ${need} from a teammate's clone (dw pull, with a shared cache configured: docs/shared-cache.md).`;
  if (/^(kernel|sql):/.test(source)) {
    throw new DwError(
      "NOT_FOUND",
      `The data ${what} was trained on (sha256 ${need}) is not in the cache, and its source '${source}' is not a file to read again.`,
      {
        hint: `Load the same data again with load_dataset (its bytes must hash to ${need}), ${fetchHint}`,
        details,
      },
    );
  }
  const path = isAbsolute(source) ? source : join(ws.root, source);
  const before = await stat(path).catch(() => null);
  if (!before?.isFile()) {
    throw new DwError("NOT_FOUND", `The data ${what} was trained on (sha256 ${need}) is not in the cache, and its source ${source} is missing.`, {
      hint: `Put the file back at ${path} (its sha256 must be ${need}), ${fetchHint}`,
      details: { ...details, path },
    });
  }
  const found = await hashFile(path);
  if (found !== need) {
    throw new DwError(
      "DATA_ERROR",
      `${source} has changed since ${what} was trained: its sha256 is now ${found}, the run needs ${need}. The data is not in the cache either, so the model cannot be rebuilt.`,
      {
        hint: `Restore ${source} as it was when the run was trained (if it is in git: git log -- ${source}), ${fetchHint} A model of the new data is a new run: train_model.`,
        details: { ...details, path, sha256_found: found },
      },
    );
  }
  const ds = await readDataFile(path, source, manifest.format ?? "csv", manifest.delimiter);
  const after = await stat(path);
  // Read after hashing: a file rewritten in between would be data the hash does not vouch for.
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
    throw new DwError("CONFLICT", `${source} changed while it was being read for ${what}.`, {
      hint: "Run reproduce_run again once nothing writes the file.",
      details: { ...details, path },
    });
  }
  return ds;
}
