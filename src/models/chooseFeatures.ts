import type { Column, Dataset } from "../data/Dataset.js";
import { MAX_CATEGORIES } from "./preprocessing.js";

/** A column left out of the features, and why in words. */
export interface SkippedColumn {
  column: string;
  reason: string;
}

/** The features a training uses and every other column of the dataset with the reason it was left out. */
export interface FeatureChoice {
  used: string[];
  skipped: SkippedColumn[];
}

/**
 * The default features, the same in every tool: every column but the target that has values and is
 * numeric, boolean, a date, or text with few enough values to one-hot encode (at most
 * MAX_CATEGORIES) that is not a numeric column with stray text. Each column left out comes with its
 * reason, so a tool can say what it skipped (an e-mail or id column is text with too many values).
 * One pass over each text column.
 *
 * @example
 * ```ts
 * chooseDefaultFeatures(ds, "churned").skipped; // [{ column: "churned", reason: "the target" }, { column: "email", reason: "text with 1000 distinct values: …" }]
 * ```
 */
export function chooseDefaultFeatures(ds: Dataset, target: string): FeatureChoice {
  const used: string[] = [];
  const skipped: SkippedColumn[] = [];
  for (const c of ds.columns) {
    const reason = c.name === target ? "the target" : whyNotAFeature(c, ds.rows);
    if (reason === undefined) used.push(c.name);
    else skipped.push({ column: c.name, reason });
  }
  return { used, skipped };
}

/** Why a column cannot be a default feature, or undefined when it can. */
function whyNotAFeature(c: Column, rows: number): string | undefined {
  if (c.nulls >= rows) return "empty: no row has a value";
  if (c.type !== "string") return undefined;
  if ((c.numericShare ?? 0) >= 0.9) {
    const where = c.firstNonNumeric ? ` (line ${c.firstNonNumeric.line} holds '${c.firstNonNumeric.value}')` : "";
    return `numbers with some text values${where}: fix or blank those values, then pass it in features`;
  }
  // A blank counts as one more value, as it always has here.
  const distinct = new Set(c.values).size;
  if (distinct > MAX_CATEGORIES) {
    const blank = c.nulls > 0 ? " (blank counted as one)" : "";
    return `text with ${distinct.toLocaleString("en-US")} distinct values${blank}, more than the ${MAX_CATEGORIES} dw one-hot encodes`;
  }
  return undefined;
}
