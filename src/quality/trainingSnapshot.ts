import { z } from "zod";
import type { Dataset } from "../data/Dataset.js";
import { lowerBound, quantileSorted, sortedPresent } from "../data/statistics.js";
import type { Workspace } from "../workspace/Workspace.js";
import type { ReferenceColumn } from "./TableProfile.js";
import { DwError } from "../errors/DwError.js";
import { nullIfDamaged } from "../workspace/parseDocument.js";
import { RunDatasetId } from "../runs/RunRecord.js";
import { runRef } from "../runs/runId.js";
import { parseIsoTime } from "./parseIsoTime.js";
import { categoryCounts, topValues } from "./profile/profileText.js";

/** Where a run commit keeps the statistics of the data it was trained on. */
export const TRAINING_SNAPSHOT_PATH = "data/snapshot.json";

/** Inner bin edges per numeric column: the deciles. */
export const SNAPSHOT_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Categories kept per text column; the rest are counted together as "other". */
export const SNAPSHOT_CATEGORIES = 20;

const Base = { name: z.string(), count: z.number().int(), nulls: z.number().int() };
export const SnapshotColumn = z.discriminatedUnion("type", [
  z.object({
    ...Base,
    type: z.literal("number"),
    min: z.number().nullable(),
    max: z.number().nullable(),
    edges: z.array(z.number()).describe("Ascending inner bin edges (deciles, repeats removed); bin i holds edges[i-1] <= v < edges[i]."),
    bin_counts: z.array(z.number().int()).describe("Values per bin: edges.length + 1 counts."),
  }),
  z.object({
    ...Base,
    type: z.enum(["string", "boolean"]),
    categories: z.array(z.string()).describe(`The ${SNAPSHOT_CATEGORIES} commonest values, commonest first.`),
    category_counts: z.array(z.number().int()).describe("Count per category, then one count for all other values."),
  }),
  z.object({
    ...Base,
    type: z.literal("date"),
    min: z.string().nullable(),
    max: z.string().nullable().describe("The newest timestamp, as in the data."),
  }),
]);
export type SnapshotColumn = z.infer<typeof SnapshotColumn>;

export const TrainingSnapshot = z.object({
  format: z.literal("dw.snapshot/1"),
  rows: z.number().int(),
  columns: z.array(SnapshotColumn),
});
export type TrainingSnapshot = z.infer<typeof TrainingSnapshot>;

/**
 * The statistics of the training data that later quality checks compare new data with: row count,
 * and per column its type, range, decile edges with counts (numbers), commonest categories with
 * counts (text), newest timestamp (dates). Small (a few KB), so every run commit carries one.
 * `computed` holds number columns' parts already computed from these very values (a training
 * computes them with its other statistics from one sort, see numberSnapshotOfSorted).
 *
 * @example
 * ```ts
 * const snapshot = buildTrainingSnapshot(ds, ["temp_max", "wind", "weather"]);
 * await ws.commit({ ref, message, files: { [TRAINING_SNAPSHOT_PATH]: JSON.stringify(snapshot) } });
 * ```
 */
export function buildTrainingSnapshot(ds: Dataset, columns: string[], computed?: ReadonlyMap<string, NumberSnapshot>): TrainingSnapshot {
  const out: SnapshotColumn[] = [];
  for (const name of columns) {
    const col = ds.columns.find((c) => c.name === name);
    if (!col) throw new DwError("INVALID_INPUT", `The dataset has no column '${name}' to snapshot.`, { details: { column: name } });
    if (col.type === "number") {
      out.push({ name, type: "number", ...(computed?.get(name) ?? numberSnapshotOfSorted(sortedPresent(col.values), col.values.length)) });
    } else if (col.type === "date") {
      let min: string | null = null;
      let max: string | null = null;
      let lo = Infinity;
      let hi = -Infinity;
      let count = 0;
      for (const v of col.values) {
        if (v === null) continue;
        const t = parseIsoTime(v);
        if (t !== t) continue;
        count++;
        if (t < lo) [lo, min] = [t, v];
        if (t > hi) [hi, max] = [t, v];
      }
      out.push({ name, type: "date", count, nulls: col.values.length - count, min, max });
    } else {
      const index = new Map<string, number>();
      const dict: string[] = [];
      const counts: number[] = [];
      let count = 0;
      for (const v of col.values) {
        if (v === null) continue;
        count++;
        const c = index.get(v);
        if (c === undefined) {
          index.set(v, dict.length);
          dict.push(v);
          counts.push(1);
        } else counts[c]++;
      }
      const categories = topValues(dict, counts, SNAPSHOT_CATEGORIES).map((t) => t.value);
      out.push({ name, type: col.type, count, nulls: col.values.length - count, categories, category_counts: categoryCounts(dict, counts, categories) });
    }
  }
  return { format: "dw.snapshot/1", rows: ds.rows, columns: out };
}

/** A number column's part of the snapshot: what buildTrainingSnapshot stores besides its name and type. */
export type NumberSnapshot = Omit<Extract<SnapshotColumn, { type: "number" }>, "name" | "type">;

/**
 * A number column's part of the snapshot from its non-missing values in ascending order (as
 * sortedPresent gives them; `total` counts the missing ones too): the deciles, the count of values
 * below each edge (a binary search; an edge of NaN, which ±Infinity can make, has none below it),
 * a bin being the difference of two such counts, and the range. A training computes it from the
 * one sort of each column its other statistics share (gates/columnOrderStats.ts).
 */
export function numberSnapshotOfSorted(sorted: Float64Array, total: number): NumberSnapshot {
  const n = sorted.length;
  const edges = n === 0 ? [] : [...new Set(SNAPSHOT_QUANTILES.map((q) => quantileSorted(sorted, q)))];
  const bins: number[] = [];
  let before = 0;
  for (const e of edges) {
    const upTo = lowerBound(sorted, e);
    bins.push(upTo - before);
    before = upTo;
  }
  bins.push(n - before);
  return { count: n, nulls: total - n, min: n ? sorted[0] : null, max: n ? sorted[n - 1] : null, edges, bin_counts: bins };
}

/** What a profile should compare with, per column of the snapshot (dates need none: time moves on). */
export function referenceColumns(snapshot: TrainingSnapshot): ReferenceColumn[] {
  const refs: ReferenceColumn[] = [];
  for (const c of snapshot.columns) {
    if (c.type === "number") refs.push({ name: c.name, min: c.min ?? undefined, max: c.max ?? undefined, edges: c.edges });
    else if (c.type === "string" || c.type === "boolean") refs.push({ name: c.name, categories: c.categories });
  }
  return refs;
}

/**
 * The snapshot of the newest run trained on `datasetId` that has one (run ids sort by time), with
 * its run id; null when no run of that dataset has a snapshot yet.
 */
export async function readLastTrainingSnapshot(ws: Workspace, datasetId: string): Promise<{ run_id: string; snapshot: TrainingSnapshot } | null> {
  const names = (await ws.listRefs("refs/dw/runs")).sort().reverse();
  for (const runId of names) {
    const ref = runRef(runId);
    const oid = await ws.readRef(ref);
    if (!oid) continue;
    // Only which data the run saw matters here; a run that does not say is passed over.
    const run = await ws.readDocument(RunDatasetId, oid, "run.json", ref).catch(nullIfDamaged);
    if (run?.data.dataset_id !== datasetId) continue;
    // A snapshot that fails its schema is a DATA_ERROR naming the run's ref and the field.
    const snapshot = await ws.readDocument(TrainingSnapshot, oid, TRAINING_SNAPSHOT_PATH, ref);
    if (snapshot === null) continue;
    return { run_id: runId, snapshot };
  }
  return null;
}
