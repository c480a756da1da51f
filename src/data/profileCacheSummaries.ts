import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import type { Dataset } from "./Dataset.js";
import { cachedProfileEntries, type ProfileKey } from "./profileCache.js";
import { ColumnSummary, profileColumn } from "./profileColumn.js";
import { requireColumn } from "./requireColumn.js";

/**
 * Any double, NaN and ±Infinity included: a summary of an all-empty numeric column holds NaN
 * (mean, min, max, quantiles) and one of a column with an infinity holds ±Infinity, which
 * z.number() rejects. The file keeps them (profileCacheJson), so the stored form is checked with
 * this, else such a summary would never validate and be recomputed on every call.
 */
const double = z.custom<number>((v) => typeof v === "number", { message: "Expected a number (NaN and ±Infinity included)." });

/** ColumnSummary as stored: every statistic any double, everything else as get_feature_stats' schema says. */
const StoredColumnSummary = ColumnSummary.extend({
  null_rate: double,
  mean: double.optional(),
  std: double.nullable().optional(),
  min: double.optional(),
  max: double.optional(),
  quantiles: z.object({ p05: double, p25: double, p50: double, p75: double, p95: double }).optional(),
  skewness: double.nullable().optional(),
});

/**
 * The summaries (profileColumn: pandas' describe, quantiles, skewness) of the named columns of a
 * data version, each computed once and then read from the profile cache. `data` is called only
 * when a summary must be computed; a column it does not have is an INVALID_INPUT naming `field`.
 *
 * @example
 * ```ts
 * const [wind] = await profileCacheSummaries(ws, { version }, ["wind"], "columns", "weather", async () => ds);
 * wind.quantiles?.p50; // 3.1
 * ```
 */
export async function profileCacheSummaries(
  ws: Workspace,
  key: ProfileKey,
  names: readonly string[],
  field: string,
  datasetId: string,
  data: () => Promise<Dataset>,
): Promise<ColumnSummary[]> {
  return cachedProfileEntries(ws, key, "summaries", StoredColumnSummary, names, async (missing) => {
    const ds = await data();
    return missing.map((name) => profileColumn(requireColumn(ds, name, field, datasetId)));
  });
}
