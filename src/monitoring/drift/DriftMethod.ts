/**
 * The drift methods dw computes, named as Evidently names its stattests, and what a method answers
 * for one column. `statistic` is the method's own number (D for ks, chi² for chisquare, z for z,
 * the distance for wasserstein, jensenshannon and psi); `p_value` is set for the three tests.
 * Evidently's "drift score" is the p-value for a test and the distance otherwise (`driftScore`).
 */
export type DriftMethod = "ks" | "chisquare" | "z" | "wasserstein" | "jensenshannon" | "psi";

/** Every method, in the order the docs list them. */
export const DRIFT_METHODS: readonly DriftMethod[] = ["ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"];

/**
 * One column's present values on one side (nulls are not drift input): the numbers themselves, or
 * each category's count. Non-finite numbers are dropped, as Evidently drops ±inf with the nulls.
 */
export type DriftColumnData = { kind: "number"; values: Float64Array } | { kind: "category"; counts: Map<string, number> };

/** What `columnDrift` answers for one column. */
export interface DriftColumnResult {
  method: DriftMethod;
  statistic: number;
  p_value: number | null;
  threshold: number;
  drifted: boolean;
}

/** The methods that answer a p-value (drift when it is below the threshold); the others answer a distance. */
export function isDriftTest(method: DriftMethod): boolean {
  return method === "ks" || method === "chisquare" || method === "z";
}

/** Evidently's default threshold per method: 0.05 for the p-value tests, 0.1 for the distances. */
export function defaultDriftThreshold(method: DriftMethod): number {
  return isDriftTest(method) ? 0.05 : 0.1;
}

/** The number Evidently reports as the column's drift score: the p-value of a test, else the distance. */
export function driftScore(result: DriftColumnResult): number {
  return result.p_value ?? result.statistic;
}
