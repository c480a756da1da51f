import { fitOnRows, type FitPlan, type FittedModel } from "./fitOnRows.js";
import { kFoldSplits } from "../models/split.js";

/** What k-fold cross-validation measured: one score per fold, and where the time went. */
export interface CrossValidation<T> {
  folds: T[];
  /** Milliseconds fitting (preprocessing and estimator), all folds. */
  fitMs: number;
  /** Milliseconds scoring the test folds. */
  scoreMs: number;
  /** The plan's deadline ended some fold's fit early. */
  budgetHit: boolean;
}

/**
 * k-fold cross-validation of shuffled rows (see kFoldSplits): each fold's preprocessing and
 * estimator are fitted on the other folds through the worker (fitOnRows, so an interrupt stops it
 * with INTERRUPTED and progress is reported), then `scoreFold` scores the held-out fold.
 * `onFold(done, k)` is called after each fold.
 *
 * @example
 * ```ts
 * const cv = await crossValidate(plan, shuffled, 5, (m, test) => score("r2", m.predictor, matrixOf(data, m.pipeline, test), targetOf(data, test), 0));
 * ```
 */
export async function crossValidate<T>(
  plan: FitPlan,
  shuffled: Int32Array,
  k: number,
  scoreFold: (model: FittedModel, test: Int32Array) => T,
  onFold?: (done: number, k: number) => void,
): Promise<CrossValidation<T>> {
  const folds: T[] = [];
  let fitMs = 0;
  let scoreMs = 0;
  let budgetHit = false;
  for (const { train, test } of kFoldSplits(shuffled, k)) {
    const a = performance.now();
    const model = await fitOnRows(plan, train);
    const b = performance.now();
    folds.push(scoreFold(model, test));
    scoreMs += performance.now() - b;
    fitMs += b - a;
    budgetHit ||= model.budgetHit;
    onFold?.(folds.length, k);
  }
  return { folds, fitMs, scoreMs, budgetHit };
}
