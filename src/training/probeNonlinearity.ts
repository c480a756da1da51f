import type { Task } from "../models/estimators.js";
import { defaultScoring } from "../models/scorers.js";
import { crossValidatedScore, type Watch } from "./crossValidatedScore.js";
import type { TrainingData } from "./prepareTrainingData.js";
import { DEEP_DEPTH, NONLINEAR_GAIN, SHALLOW_DEPTH, type Candidate, type Nonlinearity } from "./recommendAlgorithms.js";

/** The linear model for a task: linear regression, or logistic regression for classification. */
export function linearCandidate(task: Task): Candidate {
  return task === "regression" ? "linear_regression" : "logistic_regression";
}

/**
 * Measures non-linearity: the linear model against a depth-4 and a depth-8 decision tree, each
 * cross-validated on `rows` (already shuffled) by R² or accuracy. A shallow tree beating the line
 * by more than 0.02 means structure a linear model cannot capture.
 *
 * @example
 * ```ts
 * const probe = await probeNonlinearity(data, { rows, folds: 3, seed: 42 }, ctx);
 * probe.nonlinear;
 * ```
 */
export async function probeNonlinearity(data: TrainingData, o: { rows: Int32Array; folds: number; seed: number }, watch: Watch): Promise<Nonlinearity> {
  const metric = defaultScoring(data.task);
  const linear = linearCandidate(data.task);
  const cv = (estimator: Candidate, hyperparameters: Record<string, unknown>, label: string) =>
    crossValidatedScore(data, { estimator, hyperparameters, rows: o.rows, folds: o.folds, seed: o.seed, scoring: metric, label: `probe ${label}` }, watch);
  const lin = await cv(linear, {}, linear);
  const shallow = await cv("decision_tree", { max_depth: SHALLOW_DEPTH }, `decision_tree depth ${SHALLOW_DEPTH}`);
  const deep = await cv("decision_tree", { max_depth: DEEP_DEPTH }, `decision_tree depth ${DEEP_DEPTH}`);
  const gain = shallow.mean - lin.mean;
  return {
    metric,
    rows: o.rows.length,
    folds: o.folds,
    linear: lin.mean,
    shallow_tree: shallow.mean,
    deep_tree: deep.mean,
    gain,
    nonlinear: gain > NONLINEAR_GAIN,
  };
}
