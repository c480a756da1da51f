import { DwError } from "../errors/DwError.js";
import type { FeatureMatrix } from "./FeatureMatrix.js";
import type { Predictor, Task } from "./estimators.js";
import { regressionMetrics } from "./metrics.js";
import { accuracy, logLoss, precisionRecallF1, rocAucBinary, rocAucOvr } from "./classificationMetrics.js";

/**
 * The scorers a tool can ask for by name, as scikit-learn's scoring strings name them: higher is
 * always better, so errors are negated (neg_...). One registry, so explain_model, select_model and
 * any later tool mean the same thing by "r2" or "roc_auc".
 */
export const SCORINGS = [
  "r2",
  "neg_root_mean_squared_error",
  "neg_mean_absolute_error",
  "accuracy",
  "f1_macro",
  "roc_auc",
  "roc_auc_ovr",
  "neg_log_loss",
] as const;
export type Scoring = (typeof SCORINGS)[number];

/** The scoring used when none is asked: R² for regression, accuracy for classification (scikit-learn's estimators' `score`). */
export function defaultScoring(task: Task): "r2" | "accuracy" {
  return task === "regression" ? "r2" : "accuracy";
}

/** The scorings that apply to a model of this task and number of classes (roc_auc needs two). */
export function scoringsFor(task: Task, nClasses: number): readonly Scoring[] {
  if (task === "regression") return ["r2", "neg_root_mean_squared_error", "neg_mean_absolute_error"];
  return nClasses === 2 ? ["accuracy", "f1_macro", "roc_auc", "roc_auc_ovr", "neg_log_loss"] : ["accuracy", "f1_macro", "roc_auc_ovr", "neg_log_loss"];
}

/** A scoring that does not fit the model's task (or roc_auc beyond two classes) is INVALID_INPUT naming the ones that do. */
export function checkScoring(scoring: Scoring, task: Task, nClasses: number): void {
  const allowed = scoringsFor(task, nClasses);
  if (allowed.includes(scoring)) return;
  throw new DwError(
    "INVALID_INPUT",
    `scoring '${scoring}' does not apply to this ${task === "regression" ? "regression" : `${nClasses}-class classification`} model.`,
    {
      hint: `Use one of: ${allowed.join(", ")}.`,
      details: { field: "scoring", allowed },
    },
  );
}

/**
 * The score of the predictions on X (higher is better), as scikit-learn's scorer of that name
 * computes it. `y` holds values (regression) or class indices 0..nClasses-1 (classification).
 *
 * @example
 * score("r2", predictor, X, y, 0); // 0.87
 */
export function score(scoring: Scoring, predictor: Predictor, X: FeatureMatrix, y: Float64Array, nClasses: number): number {
  if (scoring === "roc_auc" || scoring === "roc_auc_ovr" || scoring === "neg_log_loss") {
    const proba = predictor.predictProba!(X);
    if (scoring === "neg_log_loss") return -logLoss(y, proba, nClasses);
    if (scoring === "roc_auc_ovr" && nClasses > 2) return rocAucOvr(y, proba, nClasses);
    return rocAucBinary(
      y,
      Float64Array.from({ length: y.length }, (_, i) => proba[i * nClasses + 1]),
    );
  }
  const pred = predictor.predict(X);
  if (scoring === "accuracy") return accuracy(y, pred);
  if (scoring === "f1_macro") return precisionRecallF1(y, pred, { average: "macro", nClasses }).f1;
  const m = regressionMetrics(y, pred);
  return scoring === "r2" ? m.r2 : scoring === "neg_root_mean_squared_error" ? -m.rmse : -m.mae;
}
