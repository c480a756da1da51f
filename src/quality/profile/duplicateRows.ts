/** How a column's values are compared when two rows hash alike. */
export type RowKey = { kind: "number"; values: Float64Array } | { kind: "code"; codes: Int32Array } | { kind: "text"; values: readonly (string | null)[] };

/**
 * Rows identical in every column to an earlier row, found through the per-row hashes built while
 * profiling: the rows are radix-sorted by hash (stable, so rows with one hash stay in row order)
 * and only rows whose hashes are equal are compared, column by column, so a hash collision never
 * counts as a duplicate. Sorting walks memory in order; a hash table of a million rows would miss
 * the cache on nearly every row.
 */
export function duplicateRows(rowHash: Uint32Array, keys: readonly RowKey[], maxExamples = 10): { duplicateRows: number; examples: number[] } {
  const n = rowHash.length;
  const { hashes, rows } = sortByHash(rowHash);
  let dups = 0;
  const found: number[] = [];
  const reps: number[] = [];
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && hashes[b] === hashes[a]) b++;
    if (b - a > 1) {
      // Rows sharing a hash: each is a duplicate of an earlier distinct row of the run, or a new one.
      reps.length = 0;
      for (let k = a; k < b; k++) {
        const r = rows[k];
        if (reps.some((p) => sameRow(keys, r, p))) {
          dups++;
          if (found.length < 100_000) found.push(r);
        } else reps.push(r);
      }
    }
    a = b;
  }
  found.sort((x, y) => x - y);
  return { duplicateRows: dups, examples: found.slice(0, maxExamples) };
}

/** LSD radix sort of (hash, row) pairs, 11 bits a pass. */
function sortByHash(rowHash: Uint32Array): { hashes: Uint32Array; rows: Int32Array } {
  const n = rowHash.length;
  let hashes = Uint32Array.from(rowHash);
  let rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  let h2 = new Uint32Array(n);
  let r2 = new Int32Array(n);
  const counts = new Int32Array(2048);
  for (const shift of [0, 11, 22]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(hashes[i] >>> shift) & 2047]++;
    let sum = 0;
    for (let b = 0; b < 2048; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const h = hashes[i];
      const at = counts[(h >>> shift) & 2047]++;
      h2[at] = h;
      r2[at] = rows[i];
    }
    [hashes, h2] = [h2, hashes];
    [rows, r2] = [r2, rows];
  }
  return { hashes, rows };
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
