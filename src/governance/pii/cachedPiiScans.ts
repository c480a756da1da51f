import { z } from "zod";
import type { Workspace } from "../../workspace/Workspace.js";
import type { Dataset } from "../../data/Dataset.js";
import { cachedProfileEntries, type ProfileKey } from "../../data/profileCache.js";
import { requireColumn } from "../../data/requireColumn.js";
import { PiiFinding } from "./PiiFinding.js";
import type { ColumnScan } from "./scanColumnPii.js";
import { DEFAULT_PII_SAMPLE_SIZE, DEFAULT_PII_SEED, scanDatasetPiiColumns } from "./scanDatasetPii.js";

/** One column's scan as the profile cache keeps it (scanColumnPii's ColumnScan), checked when read back. */
const CachedColumnScan = z.object({ column: z.string(), sampled: z.number().int().min(0), findings: z.array(PiiFinding) });

/**
 * The PII scans (scanColumnPii) of the named columns of a data version, each column scanned once
 * per sample size and then read from the profile cache (part `pii.s<sample size>.seed<seed>`): a
 * scan depends on the column's values, the sample size and the seed only. The one rule scan_pii,
 * check_policy and both governance gates share, so a column scanned by one is not scanned again
 * by another. `data` is called only when a scan must be made; a column it does not have is an
 * INVALID_INPUT naming `field`. Scans come back in the order of `names`.
 *
 * @example
 * ```ts
 * const scans = await cachedPiiScans(ws, { version }, ["email", "age"], { field: "columns", datasetId: "customers", data: async () => ds });
 * scans.flatMap((s) => s.findings)[0]?.entity; // "EMAIL_ADDRESS"
 * ```
 */
export async function cachedPiiScans(
  ws: Workspace,
  key: ProfileKey,
  names: readonly string[],
  args: { field: string; datasetId: string; data: () => Promise<Dataset>; sampleSize?: number },
): Promise<ColumnScan[]> {
  const sampleSize = args.sampleSize ?? DEFAULT_PII_SAMPLE_SIZE;
  return cachedProfileEntries(ws, key, `pii.s${sampleSize}.seed${DEFAULT_PII_SEED}`, CachedColumnScan, names, async (missing) => {
    const ds = await args.data();
    const columns = missing.map((name) => requireColumn(ds, name, args.field, args.datasetId).name);
    return scanDatasetPiiColumns(ds, { columns, sampleSize, seed: DEFAULT_PII_SEED });
  });
}
