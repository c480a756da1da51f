import { sortedPresent, summarizeSorted } from "../data/statistics.js";
import type { FeatureStats } from "./ModelJson.js";

/** Count, mean, std, range and quantiles of a numeric column (NaN = missing): the reference drift is measured against. */
export function featureStats(values: Float64Array): FeatureStats {
  const s = summarizeSorted(sortedPresent(values));
  // Keys in the order model.json has always stored them.
  return { count: s.count, nulls: values.length - s.count, mean: s.mean, std: s.std, min: s.min, max: s.max, quantiles: s.quantiles };
}
