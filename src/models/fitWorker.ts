/**
 * The worker side of fitInWorker: fits one estimator per request and posts its JSON back; the
 * worker then waits for the next request. Stopping is asked through a shared flag (set by the
 * main thread on interrupt), a wall-clock deadline or a count of trees, checked before each tree or
 * boosting iteration by the one stopRule fitOnThread follows too.
 */
import { parentPort } from "node:worker_threads";
import { fitEstimator, type Estimator, type EstimatorJson, type Task } from "./estimators.js";
import { stopRule } from "./stopRule.js";

export interface FitRequest {
  estimator: Estimator;
  task: Task;
  data: Float64Array;
  rows: number;
  cols: number;
  y: Float64Array;
  nClasses: number;
  hyperparameters: Record<string, unknown>;
  seed: number;
  /** Date.now() after which no more trees or iterations are started; Infinity for none. */
  deadline: number;
  /** Int32Array over a SharedArrayBuffer: 1 means stop. */
  stop: Int32Array;
  /**
   * Trees or boosting iterations after which to stop as a spent deadline stops (Infinity for no
   * limit): a count is the same on every machine, so reproduce_run rebuilds a run its time budget
   * ended with exactly the trees it had, which a deadline could not.
   */
  stopAfter: number;
}

/** What the worker posts: progress during a fit, then the fitted estimator's JSON or the error. */
export type FitReply =
  | { progress: number }
  | { done: true; ok: true; json: EstimatorJson; budgetHit: boolean }
  | { done: true; ok: false; name: string; message: string };

const post = (reply: FitReply) => parentPort!.postMessage(reply);

parentPort!.on("message", (req: FitRequest) => {
  try {
    const rule = stopRule({
      deadline: req.deadline,
      stopAfter: req.stopAfter,
      stopped: () => Atomics.load(req.stop, 0) === 1,
      onProgress: (done) => post({ progress: done }),
    });
    const predictor = fitEstimator(
      req.estimator,
      req.task,
      { data: req.data, rows: req.rows, cols: req.cols },
      req.y,
      req.nClasses,
      req.hyperparameters,
      req.seed,
      rule.shouldStop,
    );
    post({ done: true, ok: true, json: predictor.json, budgetHit: rule.budgetHit() });
  } catch (e) {
    post({ done: true, ok: false, name: (e as Error).name, message: (e as Error).message });
  }
});
