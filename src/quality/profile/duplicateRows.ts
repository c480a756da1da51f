import { nextPow2 } from "./hash.js";

/** How a column's values are compared when two rows hash alike. */
export type RowKey = { kind: "number"; values: Float64Array } | { kind: "code"; codes: Int32Array } | { kind: "text"; values: readonly (string | null)[] };

/** Rows per partition aimed at: a partition's hashes and its table (16 KB + 32 KB) stay in cache. */
const PART_TARGET = 4096;

/**
 * Rows identical in every column to an earlier row, found through the per-row hashes built while
 * profiling: the rows are scattered by the top bits of their hash into partitions (in row order,
 * with their hashes beside them), then each partition is walked in row order with a small
 * open-addressing table of the distinct rows seen so far; only rows whose hashes are equal are
 * compared, column by column, so a hash collision never counts as a duplicate. A table of a
 * million rows would miss the cache on nearly every row; a partition's stays in it.
 */
export function duplicateRows(rowHash: Uint32Array, keys: readonly RowKey[], maxExamples = 10): { duplicateRows: number; examples: number[] } {
  const n = rowHash.length;
  let bits = 0;
  while (bits < 12 && n >>> bits > PART_TARGET) bits++;
  const parts = 1 << bits;
  // With bits = 0, `h >>> 32` would be `h >>> 0` in JavaScript: shift by 31 and mask to 0 instead.
  const shift = bits === 0 ? 31 : 32 - bits;
  const partMask = parts - 1;
  const starts = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) starts[((rowHash[i] >>> shift) & partMask) + 1]++;
  for (let p = 0; p < parts; p++) starts[p + 1] += starts[p];
  const at = starts.slice(0, parts);
  const rows = new Int32Array(n);
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = rowHash[i];
    const k = at[(h >>> shift) & partMask]++;
    rows[k] = i;
    hashes[k] = h;
  }
  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, starts[p + 1] - starts[p]);
  // Slots hold a position in `rows` of a distinct row seen so far (-1: empty).
  const table = new Int32Array(nextPow2(2 * largest));
  let dups = 0;
  // The first duplicates in row order, ascending: partitions interleave rows, so the smallest are kept as found.
  const examples: number[] = [];
  for (let p = 0; p < parts; p++) {
    const from = starts[p];
    const to = starts[p + 1];
    if (to - from < 2) continue;
    const mask = nextPow2(2 * (to - from)) - 1;
    table.fill(-1, 0, mask + 1);
    for (let k = from; k < to; k++) {
      const h = hashes[k];
      const r = rows[k];
      let s = h & mask;
      let duplicate = false;
      for (let q = table[s]; q >= 0; q = table[s]) {
        if (hashes[q] === h && sameRow(keys, r, rows[q])) {
          duplicate = true;
          break;
        }
        s = (s + 1) & mask;
      }
      if (duplicate) {
        dups++;
        if (examples.length < maxExamples || r < examples[examples.length - 1]) insertSorted(examples, r, maxExamples);
      } else table[s] = k;
    }
  }
  return { duplicateRows: dups, examples };
}

/** Puts `r` into ascending `list` and keeps its `max` smallest. */
function insertSorted(list: number[], r: number, max: number): void {
  let at = list.length;
  while (at > 0 && list[at - 1] > r) at--;
  list.splice(at, 0, r);
  if (list.length > max) list.pop();
}

function sameRow(keys: readonly RowKey[], i: number, j: number): boolean {
  for (const k of keys) {
    if (k.kind === "number") {
      const a = k.values[i];
      const b = k.values[j];
      if (a !== b && !(a !== a && b !== b)) return false;
    } else if (k.kind === "code") {
      if (k.codes[i] !== k.codes[j]) return false;
    } else if (k.values[i] !== k.values[j]) return false;
  }
  return true;
}
