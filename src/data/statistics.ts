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
 * The non-missing values (NaN is missing) in ascending order, in a new Float64Array, ordered as
 * Float64Array.prototype.sort orders them (−∞ first, −0 before +0, +∞ last). A column of a
 * million values is sorted by an LSD radix sort on the IEEE-754 bits (four 16-bit digits, a digit
 * every value shares skipped), 3-4x faster than the built-in sort, which is what lets a training
 * summarise every column of its rows in well under a second; a short one (see RADIX_FROM) by the built-in sort.
 */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const present = new Float64Array(n);
  if (n === values.length) present.set(values);
  else for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) present[k++] = values[i];
  return sortInPlace(present);
}

/**
 * Sorts NaN-free `present` in place, in Float64Array.prototype.sort's order (−0 before +0), and
 * returns it: by the radix sort from RADIX_FROM values, else by the built-in sort. The one sort of
 * numbers every statistic here and in drift detection shares (sortedPresent, sortedFinite, a
 * training's reference statistics), so they all see the same order.
 */
export function sortInPlace(present: Float64Array): Float64Array {
  return present.length < RADIX_FROM ? present.sort() : radixSorted(present);
}

/**
 * Values from which sortedPresent sorts by radix: below it the built-in sort is faster, the radix
 * sort's fixed cost (four 65,536-entry histograms, a 1 MB table to clear and sum) being ~1 ms.
 */
const RADIX_FROM = 1 << 15;

/** Sorts NaN-free `a` in place by its bits (see sortedPresent) and returns it. */
function radixSorted(a: Float64Array): Float64Array {
  const n = a.length;
  // Little-endian halves [low, high]; keys flip every bit of a negative number and the sign bit of
  // the others, so that unsigned order is numeric order.
  let w: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const counts = new Uint32Array(4 << 16);
  for (let i = 0; i < 2 * n; i += 2) {
    let lo = w[i];
    let hi = w[i + 1];
    if (hi >>> 31) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    w[i] = lo;
    w[i + 1] = hi;
    counts[lo & 0xffff]++;
    counts[65536 + (lo >>> 16)]++;
    counts[131072 + (hi & 0xffff)]++;
    counts[196608 + (hi >>> 16)]++;
  }
  let spare: Uint32Array = scratch(2 * n);
  const original = w;
  for (let d = 0; d < 4; d++) {
    const base = d << 16;
    let shared = false;
    for (let v = 0, sum = 0; v < 65536; v++) {
      const c = counts[base + v];
      if (c === n) shared = true;
      counts[base + v] = sum;
      sum += c;
    }
    if (shared) continue;
    const half = d >> 1;
    const shift = (d & 1) * 16;
    for (let i = 0; i < 2 * n; i += 2) {
      const at = 2 * counts[base + ((w[i + half] >>> shift) & 0xffff)]++;
      spare[at] = w[i];
      spare[at + 1] = w[i + 1];
    }
    [w, spare] = [spare, w];
  }
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = w[i + 1];
    if (hi >>> 31) w[i + 1] = (hi & 0x7fffffff) >>> 0;
    else {
      w[i] = ~w[i] >>> 0;
      w[i + 1] = ~hi >>> 0;
    }
  }
  if (w !== original) original.set(w);
  return a;
}

/**
 * The radix sort's second buffer, kept between sorts (a training or a drift check sorts dozens of
 * columns of the same length in a row) and left to the garbage collector once unused: a new 16 MB
 * buffer per million values cost page faults and collections. One per thread (module state is).
 */
let spareRef: WeakRef<Uint32Array> | undefined;

function scratch(length: number): Uint32Array {
  const held = spareRef?.deref();
  if (held && held.length >= length) return held.subarray(0, length);
  const fresh = new Uint32Array(length);
  spareRef = new WeakRef(fresh);
  return fresh;
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

/**
 * Puts the `ks`-th smallest values (0-based, ascending, distinct, each < values.length) of a
 * NaN-free `work` at their own indices, as sorting would, in O(n) expected time instead of a sort's
 * O(n log n): each k is found by quickselect (Hoare partition around a median-of-three, which keeps
 * runs of equal values cheap), and the ks are split around the middle one so later searches only
 * see their own side. Left of a placed k are values ≤ it, right of it values ≥ it. A range that
 * fails to shrink after ~2·log2(n) partitions (adversarial order) is sorted instead, so the worst
 * case stays O(n log n). −0 and +0 compare equal here: the callers below restore the sign a sort
 * would give.
 */
export function selectOrderStatistics(work: Float64Array, ks: readonly number[]): void {
  const budget = 2 * Math.ceil(Math.log2(work.length + 1)) + 8;
  const around = (lo: number, hi: number, first: number, last: number): void => {
    if (first > last || lo >= hi) return;
    const mid = (first + last) >> 1;
    const k = ks[mid];
    selectOne(work, lo, hi, k, budget);
    around(lo, k - 1, first, mid - 1);
    around(k + 1, hi, mid + 1, last);
  };
  around(0, work.length - 1, 0, ks.length - 1);
}

/** Quickselect of the k-th smallest within work[lo..hi] (inclusive); see selectOrderStatistics. */
function selectOne(a: Float64Array, lo: number, hi: number, k: number, budget: number): void {
  let rounds = 0;
  while (hi > lo) {
    if (++rounds > budget) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const m = lo + ((hi - lo) >> 1);
    const x = a[lo];
    const y = a[m];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and everything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The non-missing values (NaN is missing) of `values` in a new Float64Array, with the order
 * statistics each q in `qs` needs under numpy's linear method (positions ⌊(n−1)q⌋ and the one
 * after) at their sorted indices; the rest is in no particular order (and a zero's sign may have
moved to another zero: −0 and +0 are equal values). With `quantileSorted` on the
 * result this gives, bit for bit, what `quantileSorted(sortedPresent(values), q)` gives, in linear
 * time: the way one pass over a column's train rows can feed every quantile a training reports
 * (imputer medians, reference statistics, drift bins) without sorting it.
 *
 *   const placed = selectQuantilePositions(column, [0.05, 0.5, 0.95]);
 *   quantileSorted(placed, 0.5) === quantileSorted(sortedPresent(column), 0.5); // true
 */
export function selectQuantilePositions(values: Float64Array, qs: readonly number[]): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const work = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) work[k++] = values[i];
  if (n === 0) return work;
  const ks = new Set<number>();
  for (const q of qs) {
    const lo = Math.floor((n - 1) * q);
    ks.add(lo);
    ks.add(Math.min(lo + 1, n - 1));
  }
  const sortedKs = [...ks].sort((a, b) => a - b);
  selectOrderStatistics(work, sortedKs);
  restoreZeroSigns(work, sortedKs);
  return work;
}

/**
 * A sort puts −0 before +0, selection does not tell them apart: where a placed order statistic
 * is a zero, give it the sign it has in sorted order (one counting pass, only when a zero was placed).
 */
function restoreZeroSigns(work: Float64Array, ks: readonly number[]): void {
  if (!ks.some((k) => work[k] === 0)) return;
  let below = 0;
  let negativeZeros = 0;
  for (let i = 0; i < work.length; i++) {
    const v = work[i];
    if (v < 0) below++;
    else if (v === 0 && 1 / v < 0) negativeZeros++;
  }
  for (const k of ks) if (work[k] === 0) work[k] = k < below + negativeZeros ? -0 : 0;
}

/**
 * The q-quantiles of the non-missing values of `values` by numpy's linear method, each equal bit
 * for bit to `quantileSorted(sortedPresent(values), q)`, in linear time (see selectQuantilePositions).
 *
 *   quantilesPresent(Float64Array.of(3, NaN, 1, 2), [0.5]); // [2]
 */
export function quantilesPresent(values: Float64Array, qs: readonly number[]): number[] {
  const placed = selectQuantilePositions(values, qs);
  return qs.map((q) => quantileSorted(placed, q));
}

/**
 * numpy.median of a non-empty list, equal bit for bit to `median(values)` (including where NaNs
 * are, which sort last there), in linear time by selection instead of a sort.
 *
 *   medianBySelection([5, 1, 4, 2]); // 3
 */
export function medianBySelection(values: ArrayLike<number>): number {
  const all = values instanceof Float64Array ? values : Float64Array.from(values);
  const m = all.length >> 1;
  const ks = all.length % 2 ? [m] : [m - 1, m];
  let n = 0;
  for (let i = 0; i < all.length; i++) if (all[i] === all[i]) n++;
  const work = new Float64Array(n);
  for (let i = 0, k = 0; i < all.length; i++) if (all[i] === all[i]) work[k++] = all[i];
  // Positions at or past the non-missing count are NaN in sorted order, as Float64Array.sort puts them.
  const present = ks.filter((k) => k < n);
  selectOrderStatistics(work, present);
  restoreZeroSigns(work, present);
  const at = (k: number) => (k < n ? work[k] : NaN);
  return ks.length === 1 ? at(ks[0]) : (at(ks[0]) + at(ks[1])) / 2;
}
