import type { Workspace } from "../workspace/Workspace.js";
import type { Dataset } from "../data/Dataset.js";
import { cachedProfilePart, readProfilePart, type ProfileKey } from "../data/profileCache.js";
import { TableProfile } from "./TableProfile.js";
import { profileTable } from "./profileTable.js";

/**
 * The data-only profile (profileTable) of a data version, computed once: the quality gate, the
 * cost estimate and whoever else reads it share one copy, in memory and under
 * `.dw/cache/profiles/`. `data` is called only when the profile must be computed, so a profile
 * already stored costs no read of the dataset.
 *
 * @example
 * ```ts
 * const base = await cachedTableProfile(ws, { version: dataVersion(ws, record) }, async () => (await readDataset(ws, "weather")).ds);
 * base.duplicateRows; // 0
 * ```
 */
export async function cachedTableProfile(ws: Workspace, key: ProfileKey, data: () => Promise<Dataset>): Promise<TableProfile> {
  return cachedProfilePart(ws, key, TABLE_PART, TableProfile, async () => profileTable(await data()));
}

/** The stored data-only profile of a data version, or undefined when none was computed yet (nothing is computed here). */
export async function storedTableProfile(ws: Workspace, key: ProfileKey): Promise<TableProfile | undefined> {
  return readProfilePart(ws, key, TABLE_PART, TableProfile);
}

const TABLE_PART = "table";
