import type { Dataset, TextColumn } from "../data/Dataset.js";
import type { ColumnProfile, TableProfile } from "./TableProfile.js";
import { parseIsoTime } from "./parseIsoTime.js";
import { distinctScratch, type DistinctScratch } from "./profile/distinctFloats.js";
import { profileNumbers } from "./profile/profileNumbers.js";
import { profileText } from "./profile/profileText.js";
import { duplicateRows, type RowKey } from "./profile/duplicateRows.js";

/** The most frequent values a text column's profile lists, as the quality gate reports them. */
export const PROFILE_TOP_K = 10;

/**
 * The part of a dataset's TableProfile that depends on nothing but the data: per column the
 * counts, nulls, exact distinct values, range, moments and most frequent values, and the duplicate
 * rows. One pass per column over typed arrays (numbers, dates as instants) or dictionary codes
 * (text), with each value's hash folded into a per-row hash as it goes, then one pass over the row
 * hashes for duplicate rows (a collision is checked column by column, never counted). This is what
 * is cached per data version (cachedTableProfile); profileForRequest adds what a reference or a target asks.
 *
 * @example
 * ```ts
 * const base = profileTable(ds);
 * base.columns.find((c) => c.name === "wind")?.distinct; // 79
 * ```
 */
export function profileTable(ds: Dataset, topK = PROFILE_TOP_K): TableProfile {
  const rows = ds.rows;
  const rowHash = new Uint32Array(rows);
  const scratch = distinctScratch(rows);
  const columns: ColumnProfile[] = [];
  const keys: RowKey[] = [];
  for (const col of ds.columns) {
    if (col.type === "number") {
      const { minRow: _a, maxRow: _b, ...p } = profileNumbers(col.values, scratch, rowHash);
      columns.push({ name: col.name, type: "number", ...p });
      keys.push({ kind: "number", values: col.values });
    } else if (col.type === "date") {
      columns.push(profileDates(col, scratch, rowHash));
      keys.push({ kind: "text", values: col.values });
    } else {
      const { profile, encoded } = profileText(col, rowHash, undefined, topK);
      columns.push({ name: col.name, type: col.type, ...profile });
      keys.push({ kind: "code", codes: encoded.codes });
    }
  }
  const dups = duplicateRows(rowHash, keys);
  return { rows, duplicateRows: dups.duplicateRows, duplicateExamples: dups.examples, columns };
}

/** A date column's values as instants (ms since the epoch; NaN when missing or unreadable). */
export function dateTimes(col: TextColumn): Float64Array {
  const times = new Float64Array(col.values.length);
  for (let i = 0; i < times.length; i++) {
    const v = col.values[i];
    times[i] = v === null ? NaN : parseIsoTime(v);
  }
  return times;
}

/** Dates are profiled as instants (ms since the epoch); min and max are reported as the original text. */
function profileDates(col: TextColumn, scratch: DistinctScratch, rowHash: Uint32Array): ColumnProfile {
  const p = profileNumbers(dateTimes(col), scratch, rowHash);
  const out: ColumnProfile = { name: col.name, type: "date", count: p.count, nulls: p.nulls, distinct: p.distinct };
  if (p.count > 0) {
    out.min = col.values[p.minRow] ?? undefined;
    out.max = col.values[p.maxRow] ?? undefined;
    out.minTime = p.min as number;
    out.maxTime = p.max as number;
    if (p.monotonic) out.monotonic = p.monotonic;
  }
  return out;
}
