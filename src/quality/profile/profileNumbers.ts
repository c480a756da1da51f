import type { ColumnProfile } from "../TableProfile.js";
import { binIndex } from "../bins.js";
import { type FloatSet, NULL_HASH, hashFloatBits, mixRow } from "./hash.js";

/**
 * One pass over a column of float64 values (NaN = missing): count, min, max, mean, population std,
 * exact distinct count, whole-number and monotone flags, and, against a reference, the values out
 * of its range and the counts per reference bin. Each value's hash is folded into `rowHash` so
 * duplicate rows can be found afterwards without a second look at the data.
 * Returns the index of the min and max rows too, so a date column can report its original text.
 */
export function profileNumbers(
  values: Float64Array,
  set: FloatSet,
  rowHash: Uint32Array,
  ref: { min?: number; max?: number; edges?: number[] } | undefined,
): Omit<ColumnProfile, "name" | "type"> & { minRow: number; maxRow: number } {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  set.reset();
  // While the values are sorted (ties allowed), the distinct ones are the count less the ties and
  // the set is not needed: timestamps and row numbers, the columns with most distinct values, skip it.
  let inSet = false;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let minRow = -1;
  let maxRow = -1;
  let shift = NaN;
  let s1 = 0;
  let s2 = 0;
  let integers = true;
  // Sorted either way (ties allowed) so far; while sorted, equal values are adjacent.
  let inc = true;
  let dec = true;
  let ties = 0;
  let prev = NaN;
  const lowRef = ref?.min ?? -Infinity;
  const highRef = ref?.max ?? Infinity;
  let below = 0;
  let above = 0;
  const edges = ref?.edges;
  const bins = edges ? new Array<number>(edges.length + 1).fill(0) : undefined;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) {
      rowHash[i] = mixRow(rowHash[i], NULL_HASH);
      continue;
    }
    const h = v === 0 ? hashFloatBits(0, 0) : hashFloatBits(bits[2 * i], bits[2 * i + 1]);
    rowHash[i] = mixRow(rowHash[i], h);
    if (count === 0) shift = v;
    count++;
    const d = v - shift;
    s1 += d;
    s2 += d * d;
    if (v < min) {
      min = v;
      minRow = i;
    }
    if (v > max) {
      max = v;
      maxRow = i;
    }
    if (integers && Math.trunc(v) !== v) integers = false;
    if (count > 1) {
      if (v < prev) inc = false;
      else if (v > prev) dec = false;
      else ties++;
    }
    prev = v;
    if (inSet) set.add(v, h);
    else if (!inc && !dec) {
      inSet = true;
      addUpTo(values, bits, set, i + 1);
    }
    if (v < lowRef) below++;
    else if (v > highRef) above++;
    if (bins) bins[binIndex(edges!, v)]++;
  }
  const out: Omit<ColumnProfile, "name" | "type"> & { minRow: number; maxRow: number } = {
    count,
    nulls: n - count,
    distinct: inSet ? set.size : count - ties,
    minRow,
    maxRow,
  };
  if (count > 0) {
    const m1 = s1 / count;
    out.min = min;
    out.max = max;
    out.mean = shift + m1;
    out.std = Math.sqrt(Math.max(0, s2 / count - m1 * m1));
    out.integers = integers;
    if (count > 1 && ties === 0 && !inSet) out.monotonic = inc ? "increasing" : "decreasing";
  }
  if (ref && (ref.min !== undefined || ref.max !== undefined)) {
    out.belowRange = below;
    out.aboveRange = above;
  }
  if (bins) out.binCounts = bins;
  return out;
}

/** Adds rows [0, end) to the set: the values seen before the column stopped being monotone. */
function addUpTo(values: Float64Array, bits: Uint32Array, set: FloatSet, end: number): void {
  for (let i = 0; i < end; i++) {
    const v = values[i];
    if (v === v) set.add(v, v === 0 ? hashFloatBits(0, 0) : hashFloatBits(bits[2 * i], bits[2 * i + 1]));
  }
}
