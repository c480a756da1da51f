import type { FeatureMatrix } from "./FeatureMatrix.js";
import type { Predictor, Task } from "./estimators.js";
import { regressionMetrics } from "./metrics.js";
import { meanAbsolutePercentageError } from "./meanAbsolutePercentageError.js";
import { accuracy, confusionMatrix, logLoss, precisionRecallF1, rocAucBinary, rocAucOvr } from "./classificationMetrics.js";

export interface Evaluation {
  metrics: Record<string, number>;
  confusion_matrix?: number[][];
}

/**
 * Scores a fitted predictor on held-out rows with scikit-learn's definitions. Regression: R²,
 * RMSE, MAE, MAPE. Classification: accuracy; precision, recall and F1 (of the second class for a
 * binary target, macro-averaged otherwise); ROC AUC (one-vs-rest macro for multiclass) and log loss
 * when the model gives probabilities and the held-out rows hold every class; the confusion matrix.
 */
export function evaluatePredictor(task: Task, predictor: Predictor, X: FeatureMatrix, y: Float64Array, nClasses: number): Evaluation {
  const pred = predictor.predict(X);
  if (task === "regression") {
    const m = regressionMetrics(y, pred);
    return { metrics: { ...m, mape: meanAbsolutePercentageError(y, pred) } };
  }
  const yi = Int32Array.from(y);
  const pi = Int32Array.from(pred);
  const binary = nClasses === 2;
  const prf = precisionRecallF1(yi, pi, binary ? { average: "binary", posLabel: 1, nClasses } : { average: "macro", nClasses });
  const metrics: Record<string, number> = { accuracy: accuracy(yi, pi), precision: prf.precision, recall: prf.recall, f1: prf.f1 };
  const present = new Set(yi);
  if (predictor.predictProba && present.size === nClasses) {
    const proba = predictor.predictProba(X);
    if (binary) {
      const score = new Float64Array(yi.length);
      for (let i = 0; i < yi.length; i++) score[i] = proba[i * 2 + 1];
      metrics.roc_auc = rocAucBinary(yi, score);
    } else {
      metrics.roc_auc = rocAucOvr(yi, proba, nClasses);
    }
    metrics.log_loss = logLoss(yi, proba, nClasses);
  }
  return { metrics, confusion_matrix: confusionMatrix(yi, pi, nClasses) };
}

/**
 * The metrics that have a value: one undefined on these rows (NaN, e.g. R² of a single row) is
 * left out rather than sent as null, by every tool that reports metrics.
 */
export function finiteMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}
