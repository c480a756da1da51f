import type { Dataset, TextColumn } from "../data/Dataset.js";
import type { ColumnProfile, ProfileRequest, ReferenceColumn, TableProfile } from "./TableProfile.js";
import { parseIsoTime } from "./parseIsoTime.js";
import { FloatSet } from "./profile/hash.js";
import { profileNumbers } from "./profile/profileNumbers.js";
import { profileText } from "./profile/profileText.js";
import { duplicateRows, type RowKey } from "./profile/duplicateRows.js";
import { targetStats, type EncodedColumn } from "./profile/targetStats.js";

/**
 * The TableProfile of an in-memory dataset: one pass per column over typed arrays (numbers) or
 * dictionary codes (text), with each value's hash folded into a per-row hash as it goes, then one
 * pass over the row hashes for duplicate rows (a collision is checked column by column, never
 * counted). With a target, each feature's association with it and the class counts.
 *
 * @example
 * ```ts
 * const profile = profileDataset(ds, { target: "weather", reference: [{ name: "wind", min: 0, max: 9.5, edges: [1, 2, 3] }] });
 * profile.columns.find((c) => c.name === "wind")?.binCounts; // [n0, n1, n2, n3]
 * ```
 */
export function profileDataset(ds: Dataset, request: ProfileRequest = {}): TableProfile {
  const rows = ds.rows;
  const topK = request.topK ?? 10;
  const refs = new Map<string, ReferenceColumn>((request.reference ?? []).map((r) => [r.name, r]));
  const rowHash = new Uint32Array(rows);
  const set = new FloatSet();
  const columns: ColumnProfile[] = [];
  const keys: RowKey[] = [];
  const encoded = new Map<string, EncodedColumn>();

  for (const col of ds.columns) {
    const ref = refs.get(col.name);
    if (col.type === "number") {
      const { minRow: _a, maxRow: _b, ...p } = profileNumbers(col.values, set, rowHash, numericRef(ref));
      columns.push({ name: col.name, type: "number", ...p });
      keys.push({ kind: "number", values: col.values });
      encoded.set(col.name, { name: col.name, kind: "number", values: col.values, integers: p.integers ?? false, distinct: p.distinct });
    } else if (col.type === "date") {
      columns.push(profileDates(col, set, rowHash, ref));
      keys.push({ kind: "text", values: col.values });
    } else {
      const { profile, encoded: enc } = profileText(col, rowHash, ref, topK);
      columns.push({ name: col.name, type: col.type, ...profile });
      keys.push({ kind: "code", codes: enc.codes });
      encoded.set(col.name, { name: col.name, kind: "text", enc });
    }
  }

  const dups = duplicateRows(rowHash, keys);
  const profile: TableProfile = { rows, duplicateRows: dups.duplicateRows, duplicateExamples: dups.examples, columns };
  const target = request.target === undefined ? undefined : encoded.get(request.target);
  if (target) {
    const stats = targetStats(target, [...encoded.values()]);
    if (stats.classCounts) profile.classCounts = stats.classCounts;
    profile.leakage = stats.leakage;
  }
  return profile;
}

/** A reference's range and edges as numbers (a date reference gives ISO text, read as instants). */
function numericRef(ref: ReferenceColumn | undefined): { min?: number; max?: number; edges?: number[] } | undefined {
  if (!ref) return undefined;
  const asNumber = (v: number | string | undefined) => (typeof v === "string" ? parseIsoTime(v) : v);
  const min = asNumber(ref.min);
  const max = asNumber(ref.max);
  return { min: Number.isNaN(min) ? undefined : min, max: Number.isNaN(max) ? undefined : max, edges: ref.edges };
}

/** Dates are profiled as instants (ms since the epoch); min and max are reported as the original text. */
function profileDates(col: TextColumn, set: FloatSet, rowHash: Uint32Array, ref: ReferenceColumn | undefined): ColumnProfile {
  const times = new Float64Array(col.values.length);
  for (let i = 0; i < times.length; i++) {
    const v = col.values[i];
    times[i] = v === null ? NaN : parseIsoTime(v);
  }
  const p = profileNumbers(times, set, rowHash, numericRef(ref));
  const out: ColumnProfile = { name: col.name, type: "date", count: p.count, nulls: p.nulls, distinct: p.distinct };
  if (p.count > 0) {
    out.min = col.values[p.minRow] ?? undefined;
    out.max = col.values[p.maxRow] ?? undefined;
    out.minTime = p.min as number;
    out.maxTime = p.max as number;
    if (p.monotonic) out.monotonic = p.monotonic;
  }
  if (p.belowRange !== undefined) {
    out.belowRange = p.belowRange;
    out.aboveRange = p.aboveRange;
  }
  if (p.binCounts) out.binCounts = p.binCounts;
  return out;
}
