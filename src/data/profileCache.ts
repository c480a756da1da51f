import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import type { Dataset } from "./Dataset.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import type { DataVersion } from "./profileCacheKey.js";
import { parseLossless, stringifyLossless } from "./profileCacheJson.js";

/**
 * Bumped whenever what a profile part holds, or how it is computed, changes: a file written under
 * another number is never read, so nothing but the data version and this number decides whether a
 * stored profile is still the profile of the data. The parts stored today, and the code each comes
 * from (a change there that changes a number must bump this):
 * - `table`: the quality gate's data-only profile, src/quality/profileTable.ts and src/quality/profile/;
 * - `summaries`: get_feature_stats' column summaries, src/data/profileColumn.ts and src/data/statistics.ts;
 * - `pii.s<sample size>.seed<seed>`: scan_pii's column scans, src/governance/pii/.
 */
export const PROFILE_VERSION = 1;

/** Where a dataset version's profiles are kept. */
export function profileCacheDir(ws: Workspace): string {
  return join(ws.dwDir, "cache", "profiles");
}

/** `.dw/cache/profiles/<sha256>.<format>[.<delimiter code>].v<reader>.<part>.p<PROFILE_VERSION>.json` */
export function profilePartPath(ws: Workspace, version: DataVersion, part: string): string {
  return join(profileCacheDir(ws), `${version}.${part}.p${PROFILE_VERSION}.json`);
}

/** Where the data came from: a registered version (cached in memory and on disk), or only a Dataset in hand (in memory, for its lifetime). */
export type ProfileKey = { version: DataVersion } | { ds: Dataset };

/** A stored profile file larger than this is not read (recomputed instead): a profile is a few KB per column. */
const MAX_PART_BYTES = 64 * 2 ** 20;
const MEMORY_ENTRIES = 64;

/** What a part's file holds around the part: which version of the profile, of which data, which part. */
const PartFile = z.object({ profile_version: z.number(), data_version: z.string(), part: z.string(), value: z.unknown() });
type PartFile = z.infer<typeof PartFile>;

/**
 * Parts read or computed last, by workspace, data version and part: a data version never changes,
 * so an entry is never stale; least recently used go first past MEMORY_ENTRIES. Callers share
 * these objects and never modify them.
 */
const recent = new Map<string, unknown>();
/** Parts of datasets that came without a version (in-memory data): kept while the Dataset lives. */
const byDataset = new WeakMap<Dataset, Map<string, unknown>>();
const counts = { computed: 0, fromMemory: 0, fromDisk: 0 };

/**
 * One part of a data version's profile: from memory, else from `.dw/cache/profiles/` (validated by
 * `schema`; a file that does not parse, fails the schema or is for another version is recomputed
 * and replaced, never trusted), else computed once and stored (atomically; a cache that cannot be
 * written costs the next reader a recomputation, nothing more).
 *
 * @example
 * ```ts
 * const profile = await cachedProfilePart(ws, { version }, "table", TableProfile, () => profileTable(ds));
 * ```
 */
export async function cachedProfilePart<T>(ws: Workspace, key: ProfileKey, part: string, schema: z.ZodType<T>, compute: () => T | Promise<T>): Promise<T> {
  const hit = await readProfilePart(ws, key, part, schema);
  if (hit !== undefined) return hit;
  const value = await compute();
  counts.computed++;
  await writeProfilePart(ws, key, part, value);
  return value;
}

/**
 * A part made of one entry per name (a column's summary, a column's PII scan): the entries stored
 * for this data version, with only the missing ones computed (`compute` gets their names and
 * returns their entries in that order), added to the part and stored. Entries come back in the
 * order of `names`.
 *
 * @example
 * ```ts
 * const summaries = await cachedProfileEntries(ws, { version }, "summaries", ColumnSummary, ["wind"], async (missing) => missing.map(summarize));
 * ```
 */
export async function cachedProfileEntries<T>(
  ws: Workspace,
  key: ProfileKey,
  part: string,
  schema: z.ZodType<T>,
  names: readonly string[],
  compute: (missing: string[]) => Promise<T[]>,
): Promise<T[]> {
  const stored = (await readProfilePart(ws, key, part, z.record(z.string(), schema))) ?? {};
  const missing = [...new Set(names.filter((n) => !Object.hasOwn(stored, n)))];
  if (missing.length === 0) return names.map((n) => stored[n]);
  const computed = await compute(missing);
  counts.computed += missing.length;
  // A new object: the stored one may be shared with other readers, who never see it change.
  const merged: Record<string, T> = { ...stored };
  for (let i = 0; i < missing.length; i++) merged[missing[i]] = computed[i];
  await writeProfilePart(ws, key, part, merged);
  return names.map((n) => merged[n]);
}

/** The stored part, or undefined when it was never computed (or what is stored cannot be trusted). */
export async function readProfilePart<T>(ws: Workspace, key: ProfileKey, part: string, schema: z.ZodType<T>): Promise<T | undefined> {
  if ("ds" in key) {
    const value = byDataset.get(key.ds)?.get(part) as T | undefined;
    if (value !== undefined) counts.fromMemory++;
    return value;
  }
  const memoryKey = `${ws.dwDir}\0${key.version}\0${part}`;
  if (recent.has(memoryKey)) {
    const value = recent.get(memoryKey) as T;
    recent.delete(memoryKey);
    recent.set(memoryKey, value);
    counts.fromMemory++;
    return value;
  }
  const value = await readPartFile(profilePartPath(ws, key.version, part), key.version, part, schema);
  if (value === undefined) return undefined;
  counts.fromDisk++;
  remember(memoryKey, value);
  return value;
}

/** Stores a part (in memory, and on disk for a data version). */
export async function writeProfilePart(ws: Workspace, key: ProfileKey, part: string, value: unknown): Promise<void> {
  if ("ds" in key) {
    const parts = byDataset.get(key.ds) ?? new Map<string, unknown>();
    parts.set(part, value);
    byDataset.set(key.ds, parts);
    return;
  }
  remember(`${ws.dwDir}\0${key.version}\0${part}`, value);
  const file: PartFile = { profile_version: PROFILE_VERSION, data_version: key.version, part, value };
  await atomicWrite(profilePartPath(ws, key.version, part), stringifyLossless(file)).catch(() => undefined);
}

/** How many parts (or entries of a part) were computed, and served from memory or disk, since the process started (tests read it to see a profile computed once). */
export function profileCacheCounts(): { computed: number; fromMemory: number; fromDisk: number } {
  return { ...counts };
}

/** Drops the parts kept in memory, so the next reader reads the disk as a new process would (tests, benchmarks). */
export function forgetProfiles(): void {
  recent.clear();
}

function remember(key: string, value: unknown): void {
  recent.delete(key);
  recent.set(key, value);
  for (const k of recent.keys()) {
    if (recent.size <= MEMORY_ENTRIES) break;
    recent.delete(k);
  }
}

async function readPartFile<T>(path: string, version: DataVersion, part: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const size = (await stat(path).catch(() => null))?.size;
  if (size === undefined || size > MAX_PART_BYTES) return undefined;
  let doc: unknown;
  try {
    doc = parseLossless(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
  const file = PartFile.safeParse(doc);
  if (!file.success) return undefined;
  const { profile_version, data_version, part: storedPart, value } = file.data;
  if (profile_version !== PROFILE_VERSION || data_version !== version || storedPart !== part) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
