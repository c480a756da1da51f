import type { Workspace } from "../workspace/Workspace.js";
import type { Column, Dataset } from "./Dataset.js";
import { listDatasetIds, readDatasetRecord, type DatasetRecord } from "./datasetRecords.js";
import { readDataset } from "./readDataset.js";

export interface JoinCandidate {
  dataset_id: string;
  column: string;
  /** Share of this dataset's distinct key values that the other dataset also has. */
  overlap: number;
  /** Share of this dataset's rows (with a key) whose key the other dataset has. */
  row_overlap: number;
}

/**
 * Columns another dataset in the workspace could be joined on: the same column name and values
 * in common. Keys are text, dates and whole numbers; fractional numbers and booleans agree by
 * chance too often to mean a key. A dataset with the same content (the same file loaded under
 * another id) is skipped, as is one whose cached copy cannot be read: this is a suggestion, and a
 * stale record elsewhere must not stop it.
 */
export async function findJoinCandidates(ws: Workspace, record: DatasetRecord, ds: Dataset): Promise<JoinCandidate[]> {
  const keys = new Map<string, Column>();
  for (const c of ds.columns) if (isKeyLike(c)) keys.set(c.name, c);
  if (keys.size === 0) return [];
  const out: JoinCandidate[] = [];
  for (const id of await listDatasetIds(ws)) {
    if (id === record.dataset_id) continue;
    let other: { record: DatasetRecord; ds: Dataset };
    try {
      const rec = await readDatasetRecord(ws, id);
      if (rec.sha256 === record.sha256 || !rec.columns.some((c) => keys.has(c.name))) continue;
      other = await readDataset(ws, id);
    } catch {
      continue;
    }
    for (const oc of other.ds.columns) {
      const mine = keys.get(oc.name);
      if (!mine || !isKeyLike(oc)) continue;
      const theirs = new Set(keyValues(oc));
      const values = keyValues(mine);
      const distinct = new Set(values);
      let shared = 0;
      for (const v of distinct) if (theirs.has(v)) shared++;
      if (shared === 0) continue;
      let rows = 0;
      for (const v of values) if (theirs.has(v)) rows++;
      out.push({ dataset_id: id, column: oc.name, overlap: shared / distinct.size, row_overlap: rows / values.length });
    }
  }
  return out.sort((a, b) => b.overlap - a.overlap || a.dataset_id.localeCompare(b.dataset_id));
}

function isKeyLike(c: Column): boolean {
  if (c.type === "number") return c.values.every((v) => Number.isNaN(v) || Number.isInteger(v));
  return c.type === "string" || c.type === "date";
}

/** Non-missing values as comparable strings: numbers in their shortest form, text trimmed. */
function keyValues(c: Column): string[] {
  const out: string[] = [];
  if (c.type === "number") {
    for (const v of c.values) if (!Number.isNaN(v)) out.push(String(v));
  } else {
    for (const v of c.values) if (v !== null) out.push(v.trim());
  }
  return out;
}
