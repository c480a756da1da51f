import { z } from "zod";

/**
 * Descriptive statistics, written once for every layer above data: the profile of a column
 * (get_feature_stats), a model's reference statistics for drift, the training snapshot's bin edges,
 * standardisation, cross-validation and permutation-importance spreads. Each follows numpy's (or
 * pandas') definition, so the numbers can be checked against it; the degrees of freedom of a
 * standard deviation are always named by the caller, since pandas' default (1) and numpy's (0)
 * both have users here.
 */

/** p05, p25, p50, p75 and p95 of a numeric column, as a model's reference stats and a column profile report them. */
export const Quantiles = z.object({ p05: z.number(), p25: z.number(), p50: z.number(), p75: z.number(), p95: z.number() });
export type Quantiles = z.infer<typeof Quantiles>;

/**
 * The non-missing values (NaN is missing) in ascending order, in a new Float64Array: a typed array
 * sorts numerically without a comparator, 3-5x faster than a number[] with one, which is what lets
 * millions of rows be summarised in about a second per column.
 */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const present = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) present[k++] = values[i];
  return present.sort();
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending values by numpy.quantile's default method, 'linear':
 * interpolation between the two order statistics around position (n − 1)·q. NaN when there are none.
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, n - 1)] - sorted[lo]);
}

/** The p05…p95 quantiles of ascending values (numpy's linear method; NaN when there are none). */
export function quantilesSorted(sorted: Float64Array): Quantiles {
  const q = (f: number) => quantileSorted(sorted, f);
  return { p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) };
}

/** The arithmetic mean, summed in the values' order; NaN when there are none. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * The standard deviation around `mean` with `ddof` delta degrees of freedom, as numpy's
 * std(ddof=…): √(Σ(x − mean)² ÷ (n − ddof)). ddof 0 is the population's (numpy's and
 * scikit-learn's default), ddof 1 the sample's (pandas' default).
 */
export function std(values: ArrayLike<number>, mean: number, ddof: 0 | 1): number {
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (values.length - ddof));
}

/** The mean and the standard deviation with `ddof` (see std) of a non-empty list. */
export function meanAndStd(values: ArrayLike<number>, ddof: 0 | 1): { mean: number; std: number } {
  const m = mean(values);
  return { mean: m, std: std(values, m, ddof) };
}

/**
 * The middle value of a non-empty list, the mean of the two middle ones for an even count, as
 * numpy.median (which differs in the last bit from quantile 0.5's interpolation, so it stays apart).
 */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** What a numeric column's summary holds: pandas' describe over the non-missing values. */
export interface SortedSummary {
  /** Non-missing values. */
  count: number;
  mean: number;
  /** The sample standard deviation (ddof 1, as pandas); 0 with fewer than two values. */
  std: number;
  min: number;
  max: number;
  quantiles: Quantiles;
}

/** Count, mean (summed in ascending order), sample std, range and linear quantiles of ascending values (see sortedPresent). */
export function summarizeSorted(sorted: Float64Array): SortedSummary {
  const n = sorted.length;
  const m = mean(sorted);
  return {
    count: n,
    mean: m,
    std: n > 1 ? std(sorted, m, 1) : 0,
    min: n ? sorted[0] : NaN,
    max: n ? sorted[n - 1] : NaN,
    quantiles: quantilesSorted(sorted),
  };
}

/** G1 = √(n(n−1))/(n−2) · m3/m2^1.5 over non-missing values, pandas' Series.skew (0 for a constant column). */
export function skewness(values: Float64Array, mean: number, n: number): number | null {
  if (n < 3) return null;
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  // Round-off alone can leave a tiny m2 on a constant column; pandas treats that as zero too.
  if (m2 <= 1e-14 * Math.max(1, mean * mean)) return 0;
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / m2 ** 1.5);
}

/** The number of values below `x` in ascending `sorted` (where `x` would be inserted before its equals). */
export function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
