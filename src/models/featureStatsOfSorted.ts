import { summarizeSorted } from "../data/statistics.js";
import type { FeatureStats } from "./ModelJson.js";

/**
 * featureStats from a column's non-missing values in ascending order (as sortedPresent gives
 * them) out of `total` values: what a training computes from the one sort of each column its
 * other statistics share (gates/columnOrderStats.ts), the same numbers featureStats gives.
 *
 * @example
 * ```ts
 * featureStatsOfSorted(sortedPresent(values), values.length); // deep-equals featureStats(values)
 * ```
 */
export function featureStatsOfSorted(sorted: Float64Array, total: number): FeatureStats {
  const s = summarizeSorted(sorted);
  // Keys in the order model.json has always stored them.
  return { count: s.count, nulls: total - s.count, mean: s.mean, std: s.std, min: s.min, max: s.max, quantiles: s.quantiles };
}
