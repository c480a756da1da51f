import type { CategoryCounts } from "./CategoryCounts.js";

/** Each bin's share of a side's values, reference and current over the same bins. */
export interface BinnedShares {
  reference: Float64Array;
  current: Float64Array;
}

/**
 * Evidently's `get_binned_data` (the bins of Jensen–Shannon and PSI) for a numeric column of more
 * than 20 distinct reference values: `np.histogram_bin_edges(reference ∪ current, bins="sturges")`,
 * i.e. ceil(range / (range / (log2 n + 1))) equal-width bins over both samples' range (width at
 * least 1 when every value is an integer, as numpy does for an integer column), and each side's
 * count per bin (left-closed, the last bin closed) over its own size. Its docstring says
 * "reference quantiles"; the code does this, and dw follows the code. Inputs are sorted.
 */
export function histogramShares(reference: Float64Array, current: Float64Array): BinnedShares {
  const n = reference.length + current.length;
  let first = Math.min(reference[0], current[0]);
  let last = Math.max(reference[reference.length - 1], current[current.length - 1]);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const ptp = last - first;
  let width = ptp / (Math.log2(n) + 1);
  if (width < 1 && allIntegers(reference) && allIntegers(current)) width = 1;
  const bins = width ? Math.ceil(ptp / width) : 1;
  // np.linspace: edge i is i·step + first, the last edge exactly `last`.
  const step = ptp / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return { reference: countBins(reference, edges), current: countBins(current, edges) };
}

function allIntegers(sorted: Float64Array): boolean {
  for (let i = 0; i < sorted.length; i++) if (!Number.isInteger(sorted[i])) return false;
  return true;
}

/** Shares of a sorted sample per bin: bin k holds edges[k] <= x < edges[k+1], the last bin also its right edge. */
function countBins(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const shares = new Float64Array(bins);
  let at = 0;
  for (let k = 0; k < bins; k++) {
    const upper = edges[k + 1];
    const start = at;
    if (k === bins - 1) at = upperBound(sorted, upper, at);
    else at = lowerBound(sorted, upper, at);
    shares[k] = (at - start) / sorted.length;
  }
  return shares;
}

/** The first index at or after `from` whose value is >= v. */
function lowerBound(sorted: Float64Array, v: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index at or after `from` whose value is > v. */
function upperBound(sorted: Float64Array, v: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Evidently's per-category shares: each distinct value a bin, its count over the side's size. */
export function categoryShares(counts: CategoryCounts): BinnedShares {
  return {
    reference: counts.reference.map((c) => c / counts.referenceTotal),
    current: counts.current.map((c) => c / counts.currentTotal),
  };
}

/**
 * Evidently's zero floor (PSI only): a side's empty bins get 0.0001, or a millionth of the side's
 * smallest non-empty share when that is <= 0.0001; shares are not renormalized afterwards.
 */
export function floorZeroShares(shares: Float64Array): Float64Array {
  let smallest = Number.POSITIVE_INFINITY;
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s;
  const floor = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? floor : s));
}
