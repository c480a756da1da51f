import { sortInPlace } from "../data/statistics.js";
import { featureStatsOfSorted } from "../models/featureStatsOfSorted.js";
import type { FeatureStats } from "../models/ModelJson.js";
import { describeNumbers } from "../monitoring/reference/describeNumbers.js";
import type { ReferenceColumn } from "../monitoring/reference/DriftReference.js";
import { numberSnapshotOfSorted, type NumberSnapshot } from "../quality/trainingSnapshot.js";

/** What a training stores about one number column, every part from one sort of its values. */
export interface ColumnOrderStats {
  /** The training snapshot's part (data/snapshot.json): every row of the dataset. */
  snapshot: NumberSnapshot;
  /** The drift reference's part (monitoring/reference.json): the rows that have a target. */
  drift: Extract<ReferenceColumn, { kind: "number" }>;
  /** model.json's reference_stats: the rows the model was fitted on. */
  stats: FeatureStats;
  /**
   * The median of the fitted rows' values (NaN when they have none): the imputer's median, which
   * fitPipelineDeferred would otherwise find by selection (medianBySelection: the middle value, or
   * the mean of the two middle ones, of the sorted values), read here off the sort already made.
   */
  median: number;
}

/**
 * Which rows a training's statistics describe, one label per dataset row: 0 the target is
 * missing (the snapshot counts the row, nothing else does), 1 it has a target but is held out
 * (the drift reference counts it), 2 the model was fitted on it (all three count it); `counts`
 * holds how many rows carry each label.
 */
export interface RowGroups {
  labels: Uint8Array;
  counts: readonly [number, number, number];
}

/**
 * A number column's training snapshot, drift reference and reference stats from one sort: the
 * values of each group of rows (see RowGroups) are sorted apart and merged, fitted rows with
 * held-out ones (the rows with a target), then those with the rest (every row). A merge keeps
 * the sort's order (−0 before +0), so each array is, bit for bit, what sorting those rows' values
 * gives, and each part equals what its builder computes from the column alone
 * (buildTrainingSnapshot, buildDriftReference, featureStats). Linear in the rows plus the sorts of
 * the groups, which together cost one sort of the column instead of three.
 *
 * @example
 * ```ts
 * const { snapshot, drift, stats } = columnOrderStats("price", prices, { labels, counts: [0, 200_000, 800_000] });
 * ```
 */
export function columnOrderStats(name: string, values: Float64Array, rows: RowGroups): ColumnOrderStats {
  const { labels, counts } = rows;
  const groups = counts.map((c) => new Float64Array(c));
  const filled = [0, 0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    const g = labels[i];
    groups[g][filled[g]++] = v;
  }
  const [outside, heldOut, fitted] = groups.map((g, k) => sortInPlace(g.subarray(0, filled[k])));
  const withTarget = merged(fitted, heldOut);
  const every = merged(withTarget, outside);
  return {
    snapshot: numberSnapshotOfSorted(every, values.length),
    drift: describeNumbers(name, finite(withTarget), counts[1] + counts[2]),
    stats: featureStatsOfSorted(fitted, counts[2]),
    median: middle(fitted),
  };
}

/** medianBySelection's number from ascending values without NaN: selection restores the zeros' signs to their sorted order, so the bits agree. */
function middle(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const m = n >> 1;
  return n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Two ascending arrays as one, in the sort's order (of two zeros, −0 first). */
function merged(a: Float64Array, b: Float64Array): Float64Array {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    // Equal values have the same bits, but for zeros: +0 yields to −0.
    if (x < y || (x === y && (x !== 0 || 1 / x < 0 || 1 / y > 0))) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  if (i < a.length) out.set(a.subarray(i), k);
  else out.set(b.subarray(j), k);
  return out;
}

/** Ascending values without ±Infinity (they sit at the ends): what sortedFinite gives. */
function finite(sorted: Float64Array): Float64Array {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi && sorted[lo] === -Infinity) lo++;
  while (hi > lo && sorted[hi - 1] === Infinity) hi--;
  return sorted.subarray(lo, hi);
}

/**
 * The RowGroups of a dataset of `total` rows, given the rows with a target (`keep`) and the rows
 * fitted on (`train`, among them); undefined when a fitted row has no target or is listed twice,
 * which statistics of a set of rows cannot describe (the caller computes them its own way).
 */
export function rowGroups(total: number, keep: ArrayLike<number>, train: ArrayLike<number>): RowGroups | undefined {
  const labels = new Uint8Array(total);
  for (let k = 0; k < keep.length; k++) labels[keep[k]] = 1;
  for (let k = 0; k < train.length; k++) {
    if (labels[train[k]] !== 1) return undefined;
    labels[train[k]] = 2;
  }
  return { labels, counts: [total - keep.length, keep.length - train.length, train.length] };
}
