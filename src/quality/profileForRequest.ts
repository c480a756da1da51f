import type { Dataset } from "../data/Dataset.js";
import type { ColumnProfile, ProfileRequest, ReferenceColumn, TableProfile } from "./TableProfile.js";
import { parseIsoTime } from "./parseIsoTime.js";
import { dateTimes } from "./profileTable.js";
import { categoryCounts, encodeText } from "./profile/profileText.js";
import { referenceCounts, type NumericReference } from "./profile/referenceCounts.js";
import { targetStats, type EncodedColumn } from "./profile/targetStats.js";

/**
 * A dataset's full TableProfile for one request, from its data-only profile (profileTable, which
 * may come from the cache and is not modified): per referenced column the values out of the
 * reference's range and the counts per reference bin or category, and with a target its class
 * counts and each feature's association with it. Each costs one pass over the columns it names;
 * nothing here is cached, since it depends on the last training and the target asked for.
 *
 * @example
 * ```ts
 * const p = profileForRequest(ds, profileTable(ds), { target: "weather", reference: [{ name: "wind", min: 0, max: 9.5, edges: [1, 2, 3] }] });
 * p.columns.find((c) => c.name === "wind")?.binCounts; // [n0, n1, n2, n3]
 * ```
 */
export function profileForRequest(ds: Dataset, base: TableProfile, request: ProfileRequest): TableProfile {
  const refs = new Map<string, ReferenceColumn>((request.reference ?? []).map((r) => [r.name, r]));
  const byName = new Map(base.columns.map((c) => [c.name, c]));
  const encodedText = new Map<string, EncodedColumn>();
  const encode = (name: string) => {
    let e = encodedText.get(name);
    const col = ds.columns.find((c) => c.name === name);
    if (!e && col && (col.type === "string" || col.type === "boolean")) {
      e = { name, kind: "text", enc: encodeText(col.values) };
      encodedText.set(name, e);
    }
    return e;
  };
  const columns: ColumnProfile[] = ds.columns.map((col) => {
    const p = byName.get(col.name)!;
    const ref = refs.get(col.name);
    if (!ref) return p;
    if (col.type === "number") return { ...p, ...referenceCounts(col.values, numericRef(ref)) };
    if (col.type === "date") return { ...p, ...referenceCounts(dateTimes(col), numericRef(ref)) };
    if (!ref.categories) return p;
    const e = encode(col.name);
    return e?.kind === "text" ? { ...p, binCounts: categoryCounts(e.enc.dict, e.enc.counts, ref.categories) } : p;
  });
  const profile: TableProfile = { ...base, columns };
  if (request.target === undefined) return profile;
  const encoded: EncodedColumn[] = [];
  for (const col of ds.columns) {
    if (col.type === "number") {
      const p = byName.get(col.name)!;
      encoded.push({ name: col.name, kind: "number", values: col.values, integers: p.integers ?? false, distinct: p.distinct });
    } else if (col.type !== "date") encoded.push(encode(col.name)!);
  }
  const target = encoded.find((e) => e.name === request.target);
  if (target) {
    const stats = targetStats(target, encoded);
    if (stats.classCounts) profile.classCounts = stats.classCounts;
    profile.leakage = stats.leakage;
  }
  return profile;
}

/** A reference's range and edges as numbers (a date reference gives ISO text, read as instants). */
function numericRef(ref: ReferenceColumn): NumericReference {
  const asNumber = (v: number | string | undefined) => (typeof v === "string" ? parseIsoTime(v) : v);
  const min = asNumber(ref.min);
  const max = asNumber(ref.max);
  return { min: Number.isNaN(min) ? undefined : min, max: Number.isNaN(max) ? undefined : max, edges: ref.edges };
}
