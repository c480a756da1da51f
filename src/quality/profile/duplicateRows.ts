import { nextPow2 } from "./hash.js";

/** How a column's values are compared when two rows hash alike. */
export type RowKey = { kind: "number"; values: Float64Array } | { kind: "code"; codes: Int32Array } | { kind: "text"; values: readonly (string | null)[] };

/**
 * Rows identical in every column to an earlier row, found through the per-row hashes built while
 * profiling: an open-addressing table of first occurrences keyed by hash, and a full comparison of
 * the columns whenever two hashes meet, so a hash collision never counts as a duplicate.
 */
export function duplicateRows(rowHash: Uint32Array, keys: readonly RowKey[], maxExamples = 10): { duplicateRows: number; examples: number[] } {
  const n = rowHash.length;
  const cap = nextPow2(n * 2);
  const mask = cap - 1;
  const slots = new Int32Array(cap).fill(-1);
  let dups = 0;
  const examples: number[] = [];
  for (let i = 0; i < n; i++) {
    const h = rowHash[i];
    let s = h & mask;
    let duplicate = false;
    for (let j = slots[s]; j !== -1; j = slots[s]) {
      if (rowHash[j] === h && sameRow(keys, i, j)) {
        duplicate = true;
        break;
      }
      s = (s + 1) & mask;
    }
    if (duplicate) {
      dups++;
      if (examples.length < maxExamples) examples.push(i);
    } else {
      slots[s] = i;
    }
  }
  return { duplicateRows: dups, examples };
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
