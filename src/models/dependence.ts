/**
 * Measures of dependence between a feature and a target, used to rank features. Both sides are
 * reduced to small integer codes first (`discretize`), so one estimator serves numbers, dates,
 * text and booleans.
 */
import { sortedPresent } from "../data/statistics.js";

/** Integer codes 0..k-1, one per row, and k. */
export interface Codes {
  codes: Int32Array;
  k: number;
}

/** Bins for n rows: ⌊∛n⌋ clamped to 2..20, a common rule for histogram MI estimates. */
export function binCount(n: number): number {
  return Math.min(20, Math.max(2, Math.floor(Math.cbrt(n))));
}

/**
 * Numbers to codes: each distinct value its own code when there are at most `bins` of them,
 * else equal-frequency bins (cut at the sorted values' i/bins quantiles; ties stay in one bin,
 * so a heavy value such as many zeros is one bin). NaN (missing) gets a code of its own.
 */
export function discretizeNumbers(values: Float64Array, bins: number): Codes {
  // A typed array's radix sort (sortedPresent), not a number[] with a comparator: on a million
  // values the comparator sort took seconds a column. -0 and 0 may come in either order; every
  // comparison below treats them as equal, so the codes are the same.
  const present = sortedPresent(values);
  const distinct: number[] = [];
  for (const v of present) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
  let cuts: number[];
  if (distinct.length <= bins) {
    cuts = distinct.slice(1);
  } else {
    cuts = [];
    for (let b = 1; b < bins; b++) {
      const c = present[Math.floor((present.length * b) / bins)];
      if (c > present[0] && (cuts.length === 0 || c > cuts[cuts.length - 1])) cuts.push(c);
    }
  }
  // code = number of cuts ≤ v: values equal to a cut open the bin above it.
  const raw = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      raw[i] = cuts.length + 1;
      continue;
    }
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cuts[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    raw[i] = lo;
  }
  return dense(raw, cuts.length + 2);
}

/** Text to codes, one per distinct value; null (missing) is a value of its own. */
export function discretizeText(values: readonly (string | null)[]): Codes {
  const ids = new Map<string | null, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let id = ids.get(values[i]);
    if (id === undefined) {
      id = ids.size;
      ids.set(values[i], id);
    }
    codes[i] = id;
  }
  return { codes, k: ids.size };
}

function dense(raw: Int32Array, size: number): Codes {
  const map = new Int32Array(size).fill(-1);
  let k = 0;
  const codes = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    if (map[raw[i]] < 0) map[raw[i]] = k++;
    codes[i] = map[raw[i]];
  }
  return { codes, k };
}

/** Plug-in (maximum-likelihood) entropy in nats. */
export function entropy(x: Codes): number {
  const counts = new Float64Array(x.k);
  for (const c of x.codes) counts[c]++;
  const n = x.codes.length;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

export interface MutualInformation {
  /** Plug-in estimate in nats: Σ p(x,y) ln(p(x,y) / p(x)p(y)), as scikit-learn's mutual_info_score. */
  plugin: number;
  /**
   * The plug-in estimate less its expected value under independence, (kx−1)(ky−1)/(2n) (2n·MI is
   * asymptotically χ² with that many degrees of freedom), clamped at 0. Without this, a column
   * with many rare values looks informative only because each value is seen once or twice.
   */
  adjusted: number;
}

export function mutualInformation(x: Codes, y: Codes): MutualInformation {
  const n = x.codes.length;
  if (n === 0) return { plugin: 0, adjusted: 0 };
  const cx = new Float64Array(x.k);
  const cy = new Float64Array(y.k);
  const joint = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const a = x.codes[i];
    const b = y.codes[i];
    cx[a]++;
    cy[b]++;
    const key = a * y.k + b;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of joint) {
    const a = Math.floor(key / y.k);
    const b = key - a * y.k;
    mi += (c / n) * Math.log((c * n) / (cx[a] * cy[b]));
  }
  mi = Math.max(0, mi);
  const kx = cx.filter((c) => c > 0).length;
  const ky = cy.filter((c) => c > 0).length;
  return { plugin: mi, adjusted: Math.max(0, mi - ((kx - 1) * (ky - 1)) / (2 * n)) };
}

/**
 * Linfoot's informational coefficient of correlation, √(1 − e^(−2·MI)): MI on the scale of |r|
 * (for a bivariate normal it equals |r|), so dependence of any shape compares with correlation.
 */
export function informationCorrelation(mi: number): number {
  return Math.sqrt(1 - Math.exp(-2 * mi));
}

/** Pearson's r over the rows where both are present; NaN when either side is constant or fewer than 3 rows remain. */
export function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 3) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
