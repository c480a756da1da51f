import type { CategoryCounts } from "./CategoryCounts.js";
import { gammaQ } from "./gammaQ.js";

/**
 * Evidently's chi-square test: the current counts against the reference counts scaled to the
 * current size (expected = reference count · n_current / n_reference), chi² = Σ (obs - exp)² / exp,
 * p = the chi-square survival function at chi² with k - 1 degrees of freedom (scipy.stats.chisquare).
 * A category the reference lacks has expected 0: chi² is infinite and p is 0, as in scipy; dw
 * reports that chi² as the largest double (Number.MAX_VALUE), since JSON has no infinity. One
 * category in all leaves no degree of freedom: scipy answers NaN (and Evidently no drift); dw
 * answers chi² 0 and p 1, the same verdict with a number JSON can hold.
 */
export function chiSquareTest(counts: CategoryCounts): { statistic: number; pValue: number } {
  const k = counts.keys.length;
  const scale = counts.currentTotal / counts.referenceTotal;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = counts.reference[i] * scale;
    const diff = counts.current[i] - expected;
    statistic += expected === 0 ? (diff === 0 ? 0 : Number.POSITIVE_INFINITY) : (diff * diff) / expected;
  }
  if (k < 2) return { statistic: 0, pValue: 1 };
  return { statistic: Math.min(statistic, Number.MAX_VALUE), pValue: gammaQ((k - 1) / 2, statistic / 2) };
}
