import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { listDataRuns, modelsByRun, readAllDatasetRecords, type ModelUse, type RunUse } from "./datasetLineage.js";

/** One version (content hash) of the data: the datasets that hold it now, and the runs that used it with the model versions made from them. */
export interface DataVersionUse {
  sha256: string;
  datasets: string[];
  runs: (Omit<RunUse, "sha256"> & { models: Omit<ModelUse, "run_id">[] })[];
}

/**
 * Which runs used which version (content hash) of a dataset, or of one content hash (a prefix of
 * at least 8 hex digits will do), and which registered model versions came from those runs: read
 * from the run commits (run.json's data) and the model registry. For a dataset, its current
 * content comes first, then every other version a run used under its id. NOT_FOUND when nothing
 * matches; INVALID_INPUT when a hash prefix matches more than one version.
 *
 * @example
 * ```ts
 * const { versions } = await traceDataLineage(ws, { datasetId: "seattle-weather" });
 * versions[0].runs[0].models[0]; // { model_name: "temp", version: 1, … }
 * ```
 */
export async function traceDataLineage(
  ws: Workspace,
  of: { datasetId: string; sha256?: undefined } | { datasetId?: undefined; sha256: string },
): Promise<{ versions: DataVersionUse[]; runs: number; models: number }> {
  const records = await readAllDatasetRecords(ws);
  const runs = await listDataRuns(ws);
  let chosen: RunUse[];
  const shas: string[] = [];
  if (of.datasetId !== undefined) {
    const id = of.datasetId;
    const record = records.find((r) => r.dataset_id === id);
    chosen = runs.filter((r) => r.dataset_id === id);
    if (!record && chosen.length === 0) {
      throw new DwError("NOT_FOUND", `No dataset '${id}' in this workspace, and no run used one by that id.`, {
        hint: records.length ? `Known datasets: ${records.map((r) => r.dataset_id).join(", ")}.` : "Load one first with load_dataset.",
        details: { field: "dataset_id", dataset_id: id },
      });
    }
    if (record) shas.push(record.sha256);
  } else {
    const prefix = of.sha256;
    const matches = new Set([...records.map((r) => r.sha256), ...runs.map((r) => r.sha256)].filter((s) => s.startsWith(prefix)));
    if (matches.size > 1) {
      throw new DwError("INVALID_INPUT", `The hash prefix '${prefix}' matches ${matches.size} versions of data.`, {
        hint: "Give more digits of the hash.",
        details: { field: "sha256", matches: [...matches] },
      });
    }
    if (matches.size === 0) {
      throw new DwError("NOT_FOUND", `No dataset or run in this workspace has data with hash '${prefix}'.`, {
        hint: "Copy the hash from get_table_schema or a run's run.json.",
        details: { field: "sha256" },
      });
    }
    const sha = [...matches][0];
    shas.push(sha);
    chosen = runs.filter((r) => r.sha256 === sha);
  }
  for (const r of chosen) if (!shas.includes(r.sha256)) shas.push(r.sha256);
  const models = await modelsByRun(ws);
  let modelCount = 0;
  const versions = shas.map((sha) => ({
    sha256: sha,
    datasets: records.filter((r) => r.sha256 === sha).map((r) => r.dataset_id),
    runs: chosen
      .filter((r) => r.sha256 === sha)
      .map(({ sha256: _sha, ...r }) => {
        const made = (models.get(r.run_id) ?? []).map(({ run_id: _run, ...m }) => m);
        modelCount += made.length;
        return { ...r, models: made };
      }),
  }));
  return { versions, runs: chosen.length, models: modelCount };
}
