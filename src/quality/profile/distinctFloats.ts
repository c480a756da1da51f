import { nextPow2 } from "./hash.js";

/** Scratch space for distinctFloats, sized for the longest column of a table and reused for each. */
export interface DistinctScratch {
  /** Per row with a value, that value's hash (filled by the caller's pass over the column). */
  hashes: Uint32Array;
  /** The present values and their hashes, grouped by partition. */
  grouped: Float64Array;
  groupedHash: Uint32Array;
}

export function distinctScratch(rows: number): DistinctScratch {
  return { hashes: new Uint32Array(rows), grouped: new Float64Array(rows), groupedHash: new Uint32Array(rows) };
}

/** Values per partition aimed at: a table of twice as many float64 slots (64 KB) stays in L2. */
const PART_TARGET = 4096;

/**
 * The exact number of distinct values of `values` (NaN is missing and not counted; -0 counts as
 * 0), of which `count` are present, each with its hash (alike for -0 and 0) in `scratch.hashes`
 * at its row. The values are scattered into partitions by the top bits of their hash, then each
 * partition is counted with a small open-addressing table. One table for a million distinct
 * values spans 16 MB and misses the cache on almost every probe (about 190 ms a column);
 * partitions of a few thousand values probe a table that stays in cache (a tenth of that).
 */
export function distinctFloats(values: Float64Array, count: number, scratch: DistinctScratch): number {
  const { hashes, grouped, groupedHash } = scratch;
  const n = values.length;
  let bits = 0;
  while (bits < 12 && count >>> bits > PART_TARGET) bits++;
  const parts = 1 << bits;
  // With bits = 0, `h >>> 32` would be `h >>> 0` in JavaScript: shift by 31 and mask to 0 instead.
  const shift = bits === 0 ? 31 : 32 - bits;
  const partMask = parts - 1;
  const starts = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) if (values[i] === values[i]) starts[((hashes[i] >>> shift) & partMask) + 1]++;
  for (let p = 0; p < parts; p++) starts[p + 1] += starts[p];
  const at = starts.slice(0, parts);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    const h = hashes[i];
    const slot = at[(h >>> shift) & partMask]++;
    grouped[slot] = v;
    groupedHash[slot] = h;
  }
  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, starts[p + 1] - starts[p]);
  const table = new Float64Array(nextPow2(2 * largest));
  let distinct = 0;
  for (let p = 0; p < parts; p++) {
    const from = starts[p];
    const to = starts[p + 1];
    if (from === to) continue;
    const mask = nextPow2(2 * (to - from)) - 1;
    table.fill(NaN, 0, mask + 1);
    for (let i = from; i < to; i++) {
      const v = grouped[i];
      let s = groupedHash[i] & mask;
      let k = table[s];
      while (k === k && k !== v) {
        s = (s + 1) & mask;
        k = table[s];
      }
      if (k !== k) {
        table[s] = v;
        distinct++;
      }
    }
  }
  return distinct;
}
