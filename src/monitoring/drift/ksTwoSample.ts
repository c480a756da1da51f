import { ksExactTwoSided } from "./ksExactTwoSided.js";
import { kolmogorovSf } from "./kolmogorovSf.js";

/** Above this many values in either sample scipy's default ("auto") method stops computing the exact p-value. */
const MAX_EXACT_N = 10000;

/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp with its default
 * method (what Evidently calls): D = max |F_ref - F_cur| over the pooled values; with both samples
 * of at most 10,000 values the exact p-value of the lattice-path count (D then rounded to the
 * lattice, h / lcm(n1, n2), as scipy reports it), else Kolmogorov's one-sample distribution at
 * n = round(n1 n2 / (n1 + n2)) (scipy's `kstwo.sf`). Inputs are sorted.
 */
export function ksTwoSample(reference: Float64Array, current: Float64Array): { statistic: number; pValue: number } {
  const n1 = reference.length;
  const n2 = current.length;
  let d = 0;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && reference[i] <= current[j]) ? reference[i] : current[j];
    while (i < n1 && reference[i] <= v) i++;
    while (j < n2 && current[j] <= v) j++;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > d) d = diff;
  }
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const exact = ksExactTwoSided(n1, n2, d);
    if (exact) return { statistic: exact.d, pValue: clip01(exact.p) };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: clip01(kolmogorovSf(roundHalfEven(en), d)) };
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** numpy's round: halves to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
