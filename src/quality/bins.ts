/**
 * The bin of `v` among ascending inner `edges`: the number of edges <= v, so bins are closed on
 * the left (bin i holds edges[i-1] <= v < edges[i]). The SQL producer uses the same rule
 * (`CASE WHEN v < e0 THEN 0 WHEN v < e1 THEN 1 … ELSE n END`), so both profiles bin alike.
 */
export function binIndex(edges: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Evidently's floor for an empty bin's share, so a bin seen on one side only adds a finite term. */
export const PSI_EMPTY_SHARE = 0.0001;

/**
 * Population stability index of `current` against `reference` counts over the same bins:
 * Σ (q − p) · ln(q / p) over bin shares, an empty bin's share taken as 0.0001 (as Evidently does).
 * 0 when either side has no values.
 */
export function psi(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length) throw new Error(`psi: ${reference.length} reference bins but ${current.length} current bins`);
  let r = 0;
  let c = 0;
  for (let i = 0; i < reference.length; i++) {
    r += reference[i];
    c += current[i];
  }
  if (r === 0 || c === 0) return 0;
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i] / r || PSI_EMPTY_SHARE;
    const q = current[i] / c || PSI_EMPTY_SHARE;
    sum += (q - p) * Math.log(q / p);
  }
  return sum;
}
