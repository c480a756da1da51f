import type { FeatureMatrix } from "../models/FeatureMatrix.js";
import { fitEstimator, loadEstimator, type Estimator, type Task } from "../models/estimators.js";
import type { FitOutcome } from "../models/fitInWorker.js";
import { stopRule } from "../models/stopRule.js";

/**
 * The estimators whose fit on a few thousand rows ends in milliseconds whatever their
 * hyperparameters (a closed form, a bounded solver, one tree): only these are fitted on the
 * calling thread. Forests and boosting can be asked for any number of trees, and only a fit on a
 * worker leaves the event loop free for an interrupt to stop them.
 */
const QUICK: ReadonlySet<Estimator> = new Set(["linear_regression", "logistic_regression", "decision_tree"]);

/**
 * Matrix cells (rows × encoded features) up to which a quick estimator is fitted on the calling
 * thread: measured on a 2-core machine, a linear fit of 20,000 × 10 takes ~5 ms and a decision
 * tree ~20 ms, while handing a fit to a worker costs ~2 ms warm and 60-100 ms cold (the worker
 * loads the model code), which a kernel's first training of a session always pays.
 */
export const ON_THREAD_CELLS = 200_000;

/** Whether fitOnRows fits this estimator on an X of this size on the calling thread (see ON_THREAD_CELLS). */
export function fitsOnThread(estimator: Estimator, rows: number, cols: number): boolean {
  return QUICK.has(estimator) && rows * cols <= ON_THREAD_CELLS;
}

/**
 * fitInWorker's contract on the calling thread, for fits shorter than a worker's start: the same
 * stop rules (an aborted signal, the deadline, stopAfter, checked before each tree or iteration),
 * the same progress reports, and the predictor rebuilt from its JSON as a worker's reply is.
 *
 * @example
 * ```ts
 * const outcome = fitOnThread("linear_regression", "regression", X, y, 0, {}, 42, { signal });
 * ```
 */
export function fitOnThread(
  estimator: Estimator,
  task: Task,
  X: FeatureMatrix,
  y: Float64Array,
  nClasses: number,
  hyperparameters: Record<string, unknown>,
  seed: number,
  options: { deadline?: number; stopAfter?: number; signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): FitOutcome {
  const rule = stopRule({ ...options, stopped: () => options.signal?.aborted === true });
  const predictor = fitEstimator(estimator, task, X, y, nClasses, hyperparameters, seed, rule.shouldStop);
  const interrupted = options.signal?.aborted === true;
  return { predictor: loadEstimator(predictor.json), budgetHit: rule.budgetHit() && !interrupted, interrupted };
}
