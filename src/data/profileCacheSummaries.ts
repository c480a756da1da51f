import type { Workspace } from "../workspace/Workspace.js";
import type { Dataset } from "./Dataset.js";
import { cachedProfileEntries, type ProfileKey } from "./profileCache.js";
import { ColumnSummary, profileColumn } from "./profileColumn.js";
import { requireColumn } from "./requireColumn.js";

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
  return cachedProfileEntries(ws, key, "summaries", ColumnSummary, names, async (missing) => {
    const ds = await data();
    return missing.map((name) => profileColumn(requireColumn(ds, name, field, datasetId)));
  });
}
