import { DwError } from "../errors/DwError.js";
import { evaluatePredictor, finiteMetrics } from "../models/evaluate.js";
import { crossValidate } from "./crossValidate.js";
import { fitOnRows, matrixOf, targetOf, type FitPlan, type FittedModel } from "./fitOnRows.js";
import { holdoutSplit, shuffledRows } from "../models/split.js";

/** A model fitted for keeps, with its held-out scores. */
export interface EvaluatedModel {
  final: FittedModel;
  evaluation: "holdout" | "kfold";
  /** On the test rows, or the mean over folds; a metric undefined on these rows is left out. */
  metrics: Record<string, number>;
  /** Holdout classification only. */
  confusion?: number[][];
  /** The rows the final model was fitted on. */
  trainRows: Int32Array;
  /** Test rows of the holdout, or every row for k-fold. */
  nTest: number;
  fitMs: number;
  evaluateMs: number;
  /** The deadline ended a fit before every tree or iteration was built. */
  budgetHit: boolean;
}

/**
 * Fits a model and measures it as train_model does, on the rows with a target shuffled with the
 * seed: by holdout (fit on the first rows, score on the last `testSize` share), or with `cvFolds`
 * by k-fold cross-validation (metrics averaged over folds) and then a final fit on every row.
 *
 * @example
 * ```ts
 * const m = await fitAndEvaluate(plan, { testSize: 0.2 });
 * m.metrics.r2;
 * ```
 */
export async function fitAndEvaluate(plan: FitPlan, o: { testSize: number; cvFolds?: number }): Promise<EvaluatedModel> {
  const { data } = plan;
  const shuffled = shuffledRows(data.keep, plan.seed);
  const evaluate = (m: FittedModel, test: Int32Array) =>
    evaluatePredictor(data.task, m.predictor, matrixOf(data, m.pipeline, test), targetOf(data, test), data.nClasses);
  if (o.cvFolds === undefined) {
    const { train, test } = holdoutSplit(shuffled, o.testSize);
    const a = performance.now();
    const final = await fitOnRows(plan, train);
    const b = performance.now();
    const ev = evaluate(final, test);
    const evaluateMs = performance.now() - b;
    return {
      final,
      evaluation: "holdout",
      metrics: finiteMetrics(ev.metrics),
      ...(ev.confusion_matrix ? { confusion: ev.confusion_matrix } : {}),
      trainRows: train,
      nTest: test.length,
      fitMs: b - a,
      evaluateMs,
      budgetHit: final.budgetHit,
    };
  }
  const k = o.cvFolds;
  if (shuffled.length < k * 2)
    throw new DwError("INVALID_INPUT", `${shuffled.length} rows are too few for ${k}-fold cross-validation.`, { details: { field: "cv_folds" } });
  const cv = await crossValidate(plan, shuffled, k, (m, test) => evaluate(m, test).metrics);
  const a = performance.now();
  const final = await fitOnRows(plan, shuffled);
  return {
    final,
    evaluation: "kfold",
    metrics: finiteMetrics(meanOverFolds(cv.folds)),
    trainRows: shuffled,
    nTest: shuffled.length,
    fitMs: cv.fitMs + (performance.now() - a),
    evaluateMs: cv.scoreMs,
    budgetHit: cv.budgetHit || final.budgetHit,
  };
}

/** Each metric's mean over the folds that have it. */
function meanOverFolds(folds: Record<string, number>[]): Record<string, number> {
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const metrics of folds) {
    for (const [key, v] of Object.entries(metrics)) {
      sums[key] = (sums[key] ?? 0) + v;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([key, s]) => [key, s / counts[key]]));
}
