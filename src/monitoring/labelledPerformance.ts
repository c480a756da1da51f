import { regressionMetrics } from "../models/metrics.js";
import { meanAbsolutePercentageError } from "../models/meanAbsolutePercentageError.js";
import { accuracy, precisionRecallF1 } from "../models/classificationMetrics.js";
import { finiteMetrics } from "../models/evaluate.js";
import type { DriftPerformance } from "./DriftReport.js";

/**
 * The model's performance on rows whose true label arrived, measured as train_model measures its
 * hold-out (R², RMSE, MAE, MAPE; accuracy, precision, recall, F1 of the second class for a binary
 * target, macro-averaged otherwise), beside the run's hold-out metrics. Null when no row is
 * labelled. A label a classifier does not know counts as a wrong answer.
 *
 * @example
 * ```ts
 * labelledPerformance("regression", undefined, { truth: [1, 2], predicted: [1.1, 1.9] }, { r2: 0.9 });
 * ```
 */
export function labelledPerformance(
  task: "regression" | "classification",
  classes: string[] | undefined,
  labelled: { truth: (number | string)[]; predicted: (number | string)[] } | undefined,
  reference: Record<string, number>,
): DriftPerformance | null {
  if (!labelled || labelled.truth.length === 0) return null;
  let metrics: Record<string, number>;
  if (task === "regression") {
    const y = Float64Array.from(labelled.truth, Number);
    const p = Float64Array.from(labelled.predicted, Number);
    metrics = { ...regressionMetrics(y, p), mape: meanAbsolutePercentageError(y, p) };
  } else {
    const known = classes ?? [...new Set([...labelled.truth, ...labelled.predicted].map(String))].sort();
    const index = new Map(known.map((c, i) => [c, i]));
    // An unknown label gets its own index past the classes: never equal to a prediction.
    const yi = Int32Array.from(labelled.truth, (v) => index.get(String(v)) ?? known.length);
    const pi = Int32Array.from(labelled.predicted, (v) => index.get(String(v)) ?? known.length);
    const nClasses = yi.some((k) => k === known.length) || pi.some((k) => k === known.length) ? known.length + 1 : known.length;
    const binary = known.length === 2;
    const prf = precisionRecallF1(yi, pi, binary ? { average: "binary", posLabel: 1, nClasses } : { average: "macro", nClasses });
    metrics = { accuracy: accuracy(yi, pi), precision: prf.precision, recall: prf.recall, f1: prf.f1 };
  }
  metrics = finiteMetrics(metrics);
  const change: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics)) if (typeof reference[k] === "number") change[k] = v - reference[k];
  return { labelled_rows: labelled.truth.length, metrics, reference_metrics: reference, change };
}
