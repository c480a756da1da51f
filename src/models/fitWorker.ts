/**
 * The worker side of fitInWorker: fits one estimator per request and posts its JSON back; the
 * worker then waits for the next request. Stopping is asked through a shared flag (set by the
 * main thread on interrupt), a wall-clock deadline or a count of trees, checked before each tree or
 * boosting iteration by the one stopRule fitOnThread follows too. A `stage` request builds a
 * training's feature matrix here ahead of its fit (see stageMatrix in fitInWorker.ts), from number
 * columns shared with the calling thread, while that thread runs the gates.
 */
import { parentPort } from "node:worker_threads";
import { fitEstimator, type Estimator, type EstimatorJson, type Task } from "./estimators.js";
import { fillTypedNumbers } from "./fillTypedNumbers.js";
import { fittedRows } from "./split.js";
import { stopRule } from "./stopRule.js";

export interface FitRequest {
  kind: "fit";
  estimator: Estimator;
  task: Task;
  /** The matrix and target, or how to finish the staged ones (one numeric step per staged column, in their order). */
  input: { data: Float64Array; y: Float64Array } | { staged: StagedSteps };
  rows: number;
  cols: number;
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

/** Per staged column, what its numeric step does to a raw value x: ((x is NaN ? impute : x) − mean) / std; `missing` says x can be NaN. */
export type StagedSteps = { impute: number; mean: number; std: number; missing: boolean }[];

/**
 * Build, from number columns (shared, indexed by dataset row), the raw matrix of the training rows
 * the split rule gives (fitAndEvaluate's: the rows with a target shuffled with the seed, all of them
 * for k folds or the holdout's first share) and their target; the reply names those rows.
 */
export interface StageRequest {
  kind: "stage";
  columns: Float64Array[];
  /** Target values or class indices, indexed by dataset row. */
  y: Float64Array;
  /** The rows with a target, ascending. */
  keep: Int32Array;
  split: { seed: number; testSize: number; cvFolds?: number };
}

/** What the worker posts: progress during a fit, then the fitted estimator's JSON or the error; for a stage, the rows of the matrix it built (none when a value is ±Infinity, which the caller's own matrix then reports). */
export type FitReply =
  | { progress: number }
  | { done: true; ok: true; json: EstimatorJson; budgetHit: boolean }
  | { done: true; ok: false; name: string; message: string }
  | { staged: Int32Array | undefined };

const post = (reply: FitReply, moved: ArrayBuffer[] = []) => parentPort!.postMessage(reply, moved);

/** The matrix a stage request built, kept for the next fit. */
let staged: { data: Float64Array; y: Float64Array } | undefined;

parentPort!.on("message", (req: FitRequest | StageRequest) => {
  if (req.kind === "stage") {
    stage(req);
    return;
  }
  try {
    const { data, y } = "staged" in req.input ? finishStaged(req.input.staged, req.rows, req.cols) : req.input;
    const rule = stopRule({
      deadline: req.deadline,
      stopAfter: req.stopAfter,
      stopped: () => Atomics.load(req.stop, 0) === 1,
      onProgress: (done) => post({ progress: done }),
    });
    const predictor = fitEstimator(
      req.estimator,
      req.task,
      { data, rows: req.rows, cols: req.cols },
      y,
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

function stage(req: StageRequest): void {
  staged = undefined;
  try {
    const rows = fittedRows(req.keep, req.split);
    const n = rows.length;
    const p = req.columns.length;
    const data = new Float64Array(n * p);
    // The raw values: transform's numeric arithmetic with mean 0 and std 1 leaves every value's bits as they are (−0 and NaN included).
    const targets = req.columns.map((_, j) => ({ column: String(j), j, impute: NaN, mean: 0, std: 1 }));
    const filled = fillTypedNumbers(targets, n, p, { numbers: (column) => ({ values: req.columns[Number(column)], rows }) }, data);
    if (filled.size !== p) {
      post({ staged: undefined });
      return;
    }
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) y[k] = req.y[rows[k]];
    staged = { data, y };
    const named = rows.slice();
    post({ staged: named }, [named.buffer as ArrayBuffer]);
  } catch {
    post({ staged: undefined });
  }
}

/** The staged matrix through its numeric steps, in place (only the columns a step changes), and let go here: the fit owns it. */
function finishStaged(steps: StagedSteps, n: number, p: number): { data: Float64Array; y: Float64Array } {
  const taken = staged;
  staged = undefined;
  if (!taken || taken.data.length !== n * p || steps.length !== p) throw new Error("The fit worker holds no staged matrix of this shape.");
  const { data } = taken;
  // One pass over the rows, each row's changed columns in turn (a pass per column would stride
  // through the whole matrix once per column).
  const changed = steps.flatMap((s, j) => (s.mean === 0 && s.std === 1 && !s.missing ? [] : [j]));
  if (changed.length === 0) return taken;
  const js = Int32Array.from(changed);
  const imputes = Float64Array.from(changed, (j) => steps[j].impute);
  const means = Float64Array.from(changed, (j) => steps[j].mean);
  const stds = Float64Array.from(changed, (j) => steps[j].std);
  for (let base = 0; base < data.length; base += p) {
    for (let c = 0; c < js.length; c++) {
      const x = data[base + js[c]];
      data[base + js[c]] = ((x !== x ? imputes[c] : x) - means[c]) / stds[c];
    }
  }
  return taken;
}
