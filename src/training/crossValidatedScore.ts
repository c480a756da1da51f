import type { DomainContext } from "../workspace/DomainContext.js";
import type { Estimator } from "../models/estimators.js";
import { meanAndStd } from "../data/statistics.js";
import { score, type Scoring } from "../models/scorers.js";
import { crossValidate } from "./crossValidate.js";
import { fitProgress, matrixOf, targetOf } from "./fitOnRows.js";
import type { TrainingData } from "./prepareTrainingData.js";

/** How long work is followed and stopped: the caller's cancel signal and progress line. */
export type Watch = Pick<DomainContext, "signal" | "progress">;

/** One scorer's cross-validated result. */
export interface CvResult {
  mean: number;
  /** Standard deviation over folds, ddof 0 (scikit-learn's cv_results_). */
  std: number;
  scores: number[];
  fitMs: number;
}

/**
 * The score of one estimator by k-fold cross-validation on shuffled rows (scikit-learn's
 * cross_val_score), fitted through the worker: an aborted signal stops it with INTERRUPTED, and
 * progress reports each fold (`label: fold 2 of 3 cross-validated`) and the trees of long fits.
 *
 * @example
 * ```ts
 * const cv = await crossValidatedScore(data, { estimator: "decision_tree", hyperparameters: { max_depth: 4 }, rows, folds: 3, seed: 42, scoring: "r2", label: "probe" }, ctx);
 * cv.mean;
 * ```
 */
export async function crossValidatedScore(
  data: TrainingData,
  o: { estimator: Estimator; hyperparameters: Record<string, unknown>; rows: Int32Array; folds: number; seed: number; scoring: Scoring; label: string },
  watch: Watch,
): Promise<CvResult> {
  const plan = { data, estimator: o.estimator, hyperparameters: o.hyperparameters, seed: o.seed, signal: watch.signal };
  const cv = await crossValidate(
    { ...plan, onProgress: fitProgress(o.estimator, plan, watch.progress) },
    o.rows,
    o.folds,
    (m, test) => score(o.scoring, m.predictor, matrixOf(data, m.pipeline, test), targetOf(data, test), data.nClasses),
    (done, k) => watch.progress?.({ message: `${o.label}: fold ${done} of ${k} cross-validated`, done, total: k }),
  );
  return { ...meanAndStd(cv.folds, 0), scores: cv.folds, fitMs: cv.fitMs };
}
