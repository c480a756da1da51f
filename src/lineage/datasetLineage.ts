import type { Workspace } from "../workspace/Workspace.js";
import { RunRecord } from "../runs/RunRecord.js";
import { nullIfDamaged } from "../workspace/parseDocument.js";
import { runRef } from "../runs/runId.js";
import { listModels, readAliases, readVersion } from "../registry/readRegistry.js";
import { listDatasetIds, readDatasetRecord, type DatasetRecord } from "../data/datasetRecords.js";

export interface RunUse {
  run_id: string;
  commit: string;
  created_at: string;
  tool: string;
  algorithm: string;
  target: string;
  dataset_id: string;
  sha256: string;
  rows_used: number;
}

export interface ModelUse {
  model_name: string;
  version: number;
  run_id: string;
  commit: string;
  aliases: string[];
  registered_at: string;
}

/** Every run commit that names its data (train_model's run.json `data`), oldest first. */
export async function listDataRuns(ws: Workspace): Promise<RunUse[]> {
  const out: RunUse[] = [];
  for (const id of await ws.listRefs("refs/dw/runs")) {
    if (id.includes("/")) continue;
    const commit = await ws.readRef(runRef(id));
    if (!commit) continue;
    const run = await ws.readDocument(RunRecord, commit, "run.json", runRef(id)).catch(nullIfDamaged);
    if (!run?.data?.sha256) continue;
    out.push({
      run_id: run.run_id ?? id,
      commit,
      created_at: run.created_at ?? "",
      tool: run.tool ?? "",
      algorithm: run.algorithm ?? "",
      target: run.target ?? "",
      dataset_id: run.data.dataset_id,
      sha256: run.data.sha256,
      rows_used: run.data.rows_used,
    });
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.run_id.localeCompare(b.run_id));
}

/** Registered model versions by the run they were made from. */
export async function modelsByRun(ws: Workspace): Promise<Map<string, ModelUse[]>> {
  const out = new Map<string, ModelUse[]>();
  for (const [name, versions] of await listModels(ws)) {
    const aliases = await readAliases(ws, name);
    for (const v of versions) {
      const info = await readVersion(ws, name, v, aliases);
      if (!info) continue;
      const list = out.get(info.run_id) ?? [];
      list.push({ model_name: name, version: v, run_id: info.run_id, commit: info.commit, aliases: info.aliases, registered_at: info.registered_at });
      out.set(info.run_id, list);
    }
  }
  return out;
}

/** Dataset records that can be read; a damaged record is skipped here (reading it by id reports it). */
export async function readAllDatasetRecords(ws: Workspace): Promise<DatasetRecord[]> {
  const out: DatasetRecord[] = [];
  for (const id of await listDatasetIds(ws)) {
    try {
      out.push(await readDatasetRecord(ws, id));
    } catch {
      // skipped: see above
    }
  }
  return out;
}
