import type { ColumnProfile } from "../TableProfile.js";
import { NULL_HASH, hashFloatBits, mixRow } from "./hash.js";
import { type DistinctScratch, distinctFloats } from "./distinctFloats.js";

/** What one pass over a numeric column gives, before any reference is applied. */
export type NumberProfile = Pick<ColumnProfile, "count" | "nulls" | "distinct" | "min" | "max" | "mean" | "std" | "integers" | "monotonic">;

/**
 * One pass over a column of float64 values (NaN = missing): count, min, max, mean, population std,
 * whole-number and monotone flags, and each value's hash, folded into `rowHash` (so duplicate rows
 * can be found afterwards without a second look at the data) and kept in `scratch` for the exact
 * distinct count that follows. Returns the index of the min and max rows too, so a date column can
 * report its original text. What depends on a reference (ranges, bins) is referenceCounts'.
 */
export function profileNumbers(values: Float64Array, scratch: DistinctScratch, rowHash: Uint32Array): NumberProfile & { minRow: number; maxRow: number } {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const { hashes, partCounts, shift: partShift, partMask } = scratch;
  partCounts.fill(0);
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let minRow = -1;
  let maxRow = -1;
  let shift = NaN;
  let s1 = 0;
  let s2 = 0;
  let integers = true;
  // Sorted either way (ties allowed) so far; while sorted, equal values are adjacent, so the
  // distinct ones are the count less the ties and no hash table is needed: timestamps and row
  // numbers, the columns with most distinct values, skip it.
  let inc = true;
  let dec = true;
  let ties = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) {
      rowHash[i] = mixRow(rowHash[i], NULL_HASH);
      continue;
    }
    const h = v === 0 ? hashFloatBits(0, 0) : hashFloatBits(bits[2 * i], bits[2 * i + 1]);
    rowHash[i] = mixRow(rowHash[i], h);
    hashes[i] = h;
    partCounts[((h >>> partShift) & partMask) + 1]++;
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
  }
  const sorted = inc || dec;
  const out: NumberProfile & { minRow: number; maxRow: number } = {
    count,
    nulls: n - count,
    distinct: sorted ? count - ties : distinctFloats(values, scratch),
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
    if (count > 1 && ties === 0 && sorted) out.monotonic = inc ? "increasing" : "decreasing";
  }
  return out;
}
