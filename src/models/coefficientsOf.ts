import type { z } from "zod";
import type { EstimatorJson } from "./estimators.js";
import type { ClassLabel } from "./ClassLabel.js";
import { Coefficients } from "./Coefficients.js";

// Defined in Coefficients.ts (zod only, for explain_model's schema); exported here too.
export { Coefficients };

/**
 * A linear model's coefficients by encoded feature name: one entry for linear regression (in the
 * data's units) and for a binary logistic regression (the log-odds of the second class), one per
 * class otherwise. Undefined for models that have none (trees, ensembles).
 */
export function coefficientsOf(
  params: EstimatorJson,
  names: readonly string[],
  classes: readonly z.infer<typeof ClassLabel>[] | undefined,
): Coefficients[] | undefined {
  const byName = (row: number[]) => Object.fromEntries(names.map((f, j) => [f, row[j]]));
  if (params.kind === "linear_regression") return [{ intercept: params.intercept, values: byName(params.coefficients) }];
  if (params.kind !== "logistic_regression") return undefined;
  const m = params.model;
  const label = (k: number) => (classes ? classes[k] : k);
  if (m.coefficients.length === 1) return [{ class: label(1), intercept: m.intercepts[0], values: byName(m.coefficients[0]) }];
  return m.coefficients.map((row, k) => ({ class: label(k), intercept: m.intercepts[k], values: byName(row) }));
}
