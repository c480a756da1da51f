import type { TextColumn } from "../../data/Dataset.js";
import type { ColumnProfile, ReferenceColumn } from "../TableProfile.js";
import { PADDED_NUMBER_TEXT } from "../../data/numberText.js";
import { NULL_HASH, fmix32, mixRow } from "./hash.js";

/** A text column dictionary-encoded: `codes[i]` indexes `dict` (-1 = missing), `counts` per code. */
export interface EncodedText {
  codes: Int32Array;
  dict: string[];
  counts: number[];
}

/**
 * One pass over a text (string or boolean) column: each value gets a code in first-appearance
 * order, which gives exact distinct counts, the most frequent values, counts per reference
 * category and a cheap per-value hash for duplicate rows, all from one Map lookup per value.
 */
export function profileText(
  col: TextColumn,
  rowHash: Uint32Array,
  ref: ReferenceColumn | undefined,
  topK: number,
): { profile: Omit<ColumnProfile, "name" | "type">; encoded: EncodedText } {
  const encoded = encodeText(col.values);
  const { codes, dict, counts } = encoded;
  const n = codes.length;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c < 0) nulls++;
    rowHash[i] = mixRow(rowHash[i], c < 0 ? NULL_HASH : fmix32(c + 1));
  }
  const profile: Omit<ColumnProfile, "name" | "type"> = { count: n - nulls, nulls, distinct: dict.length, top: topValues(dict, counts, topK) };
  if (col.type === "string" && n > nulls) {
    if (col.numericShare !== undefined) {
      profile.numericShare = col.numericShare;
      if (col.firstNonNumeric) profile.nonNumericExample = col.firstNonNumeric.value;
    } else {
      let numeric = 0;
      for (let c = 0; c < dict.length; c++) {
        // the loader's number rule (with spaces around), so a text column's numeric share means what the loader meant
        if (PADDED_NUMBER_TEXT.test(dict[c])) numeric += counts[c];
        else if (profile.nonNumericExample === undefined) profile.nonNumericExample = dict[c];
      }
      profile.numericShare = numeric / (n - nulls);
    }
    if (profile.numericShare === 1) delete profile.nonNumericExample;
  }
  if (ref?.categories) profile.binCounts = categoryCounts(dict, counts, ref.categories);
  return { profile, encoded };
}

/**
 * Codes in first-appearance order (-1 = missing), the dictionary and the count per code: exact
 * distinct counts, the most frequent values and category counts all come from one Map lookup per value.
 */
export function encodeText(values: readonly (string | null)[]): EncodedText {
  const n = values.length;
  const codes = new Int32Array(n);
  const index = new Map<string, number>();
  const dict: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = dict.length;
      index.set(v, c);
      dict.push(v);
      counts.push(0);
    }
    counts[c]++;
    codes[i] = c;
  }
  return { codes, dict, counts };
}

/** Counts per reference category, then one count for every other value. */
export function categoryCounts(dict: readonly string[], counts: readonly number[], categories: readonly string[]): number[] {
  const at = new Map<string, number>();
  for (let i = 0; i < categories.length; i++) at.set(categories[i], i);
  const bins = new Array<number>(categories.length + 1).fill(0);
  for (let c = 0; c < dict.length; c++) bins[at.get(dict[c]) ?? categories.length] += counts[c];
  return bins;
}

/**
 * The k most frequent values, most frequent first, ties in first-appearance order (as pandas'
 * value_counts). A small sorted buffer, not a full sort: a column of a million distinct ids
 * costs one comparison per value.
 */
export function topValues(dict: readonly string[], counts: readonly number[], k: number): { value: string; count: number }[] {
  const best: number[] = [];
  for (let c = 0; c < dict.length; c++) {
    const n = counts[c];
    if (best.length === k && n <= counts[best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && counts[best[at - 1]] < n) at--;
    best.splice(at, 0, c);
    if (best.length > k) best.pop();
  }
  return best.map((c) => ({ value: dict[c], count: counts[c] }));
}
