/**
 * Whether two lists of dataset rows are the same rows in the same order: what another thread
 * foresaw from the split rule (a matrix, statistics) serves a fit only on exactly its rows.
 *
 * @example
 * ```ts
 * sameRows(Int32Array.of(3, 1), Int32Array.of(3, 1)); // true
 * ```
 */
export function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
