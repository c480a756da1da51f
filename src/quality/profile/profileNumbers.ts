import type { ColumnProfile, ReferenceColumn } from "../TableProfile.js";
import { binIndex } from "../bins.js";
import { FloatSet, NULL_HASH, hashFloatBits, mixRow } from "./hash.js";

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
  set.reset(n);
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let minRow = -1;
  let maxRow = -1;
  let shift = NaN;
  let s1 = 0;
  let s2 = 0;
  let integers = true;
  let inc = true;
  let dec = true;
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
    set.add(v, h);
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
      if (!(v > prev)) inc = false;
      if (!(v < prev)) dec = false;
    }
    prev = v;
    if (v < lowRef) below++;
    else if (v > highRef) above++;
    if (bins) bins[binIndex(edges!, v)]++;
  }
  const out: Omit<ColumnProfile, "name" | "type"> & { minRow: number; maxRow: number } = {
    count,
    nulls: n - count,
    distinct: set.size,
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
    if (count > 1 && inc) out.monotonic = "increasing";
    else if (count > 1 && dec) out.monotonic = "decreasing";
  }
  if (ref && (ref.min !== undefined || ref.max !== undefined)) {
    out.belowRange = below;
    out.aboveRange = above;
  }
  if (bins) out.binCounts = bins;
  return out;
}
