import type { DriftMethod } from "./DriftMethod.js";

/**
 * The method Evidently's DataDriftPreset picks for a column (`_get_default_stattest`, evidently 0.7):
 * with at most 1,000 reference values, KS for a numeric column of more than 5 distinct values,
 * chi-square for other columns of more than 2, the two-proportion z-test for 2 or fewer; above
 * 1,000, normed Wasserstein for a numeric column of more than 5 distinct values and Jensen–Shannon
 * for the rest. `referenceRows` is the reference's count of present values of the column (Evidently
 * drops nulls before it counts); `nUnique` the distinct present values over reference and current.
 * `kind` is the type Evidently infers from the current data, in which an integer column of at most
 * 10 distinct values is categorical (`columnDrift` applies that rule before it calls this).
 *
 * @example defaultDriftMethod("number", 5000, 812) // "wasserstein"
 */
export function defaultDriftMethod(kind: "number" | "category", referenceRows: number, nUnique: number): DriftMethod {
  const fewValues = kind === "category" || nUnique <= 5;
  if (referenceRows <= 1000) {
    if (!fewValues) return "ks";
    return nUnique > 2 ? "chisquare" : "z";
  }
  return fewValues ? "jensenshannon" : "wasserstein";
}
