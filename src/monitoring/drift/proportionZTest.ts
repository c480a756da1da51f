import type { CategoryCounts } from "./CategoryCounts.js";
import { gammaQ } from "./gammaQ.js";

/**
 * Evidently's two-proportion z-test: the share of values other than the first (smallest) key in
 * each sample, z = (p_ref - p_cur) / sqrt(P (1 - P) (1/n_ref + 1/n_cur)) with P the pooled share,
 * two-sided p = 2 (1 - Φ(|z|)). Evidently answers p = 1 when both sides hold the one same value;
 * dw also answers z = 0 there. dw computes the tail as Q(1/2, z²/2) rather than 1 - Φ, so a p-value
 * below ~1e-16 keeps its digits where Evidently's rounds to 0 (both are "drift").
 */
export function proportionZTest(counts: CategoryCounts): { statistic: number; pValue: number } {
  if (counts.keys.length < 2) return { statistic: 0, pValue: 1 };
  const n1 = counts.referenceTotal;
  const n2 = counts.currentTotal;
  const p1 = (n1 - counts.reference[0]) / n1;
  const p2 = (n2 - counts.current[0]) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: gammaQ(0.5, (z * z) / 2) };
}
