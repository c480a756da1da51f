import { sortedPresent } from "../data/statistics.js";
import { featureStatsOfSorted } from "./featureStatsOfSorted.js";
import type { FeatureStats } from "./ModelJson.js";

/** Count, mean, std, range and quantiles of a numeric column (NaN = missing): the reference drift is measured against. */
export function featureStats(values: Float64Array): FeatureStats {
  return featureStatsOfSorted(sortedPresent(values), values.length);
}
