/**
 * The worker side of fitInWorker: fits one estimator per request and posts its JSON back; the
 * worker then waits for the next request. Stopping is asked through a shared flag (set by the
 * main thread on interrupt), a wall-clock deadline or a count of trees, checked before each tree or
 * boosting iteration by the one stopRule fitOnThread follows too. A `stage` request fits a
 * training's numeric preprocessing and builds its feature matrix here ahead of its fit (see
 * stageMatrix in fitInWorker.ts), from number columns shared with the calling thread, while that
 * thread runs the gates.
 */
import { parentPort } from "node:worker_threads";
import { fitEstimator, loadEstimator, type Estimator, type EstimatorJson, type Predictor, type Task } from "./estimators.js";
import { fillTypedNumbers, type NumericTarget } from "./fillTypedNumbers.js";
import { blockMeans, fitLinearInBlocks, type FillRows } from "./fitLinearInBlocks.js";
import { windowedRowFill } from "./windowedRowFill.js";
import { resolvedHyperparameters } from "./hyperparameters.js";
import { numericStepValues, type NumericStepValues } from "./numericStepValues.js";
import { fittedRows } from "./split.js";
import { stopRule } from "./stopRule.js";

export interface FitRequest {
  kind: "fit";
  estimator: Estimator;
  task: Task;
  /** The matrix and target, or the staged ones (the caller checked that their steps are its pipeline's). */
  input: { data: Float64Array; y: Float64Array } | { staged: true };
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

/**
 * Fit, on the training rows the split rule gives (fitAndEvaluate's: the rows with a target shuffled
 * with the seed, all of them for k folds or the holdout's first share), each number column's
 * default numeric step (numericStepValues), then build those rows' matrix through the steps and
 * their target; the reply names the rows and the steps.
 */
export interface StageRequest {
  kind: "stage";
  /** Shared, indexed by dataset row. */
  columns: Float64Array[];
  /** Each column's missing values in the whole dataset (its `nulls`): none means its median is left for later. */
  nulls: number[];
  /** Standardise (the estimator scales its features). */
  scale: boolean;
  /** What the fit will be: a quick estimator's code is warmed on a slice of the matrix once it is built (see warmUp). */
  estimator: Estimator;
  task: Task;
  nClasses: number;
  /** Target values or class indices, indexed by dataset row. */
  y: Float64Array;
  /** The rows with a target, ascending. */
  keep: Int32Array;
  split: { seed: number; testSize: number; cvFolds?: number };
  /** A linear regression whose matrix would exceed this many bytes is fitted in blocks (BLOCKS_PAST_BYTES unless a test asks for less). */
  blocksPastBytes?: number;
}

/**
 * What the worker posts: progress during a fit, then the fitted estimator's JSON or the error; for
 * a stage, the rows of the matrix it built and the steps it applied, column by column (none when a
 * value is ±Infinity or a column has no value in the training rows: the caller's own pipeline and
 * matrix then report it).
 */
export type FitReply =
  | { progress: number }
  | { done: true; ok: true; json: EstimatorJson; budgetHit: boolean }
  | { done: true; ok: false; name: string; message: string }
  | { staged: Int32Array | undefined; steps?: NumericStepValues[] };

const post = (reply: FitReply, moved: ArrayBuffer[] = []) => parentPort!.postMessage(reply, moved);

/**
 * A linear regression's n × p matrix larger than this is not built: the fit reads it in blocks of
 * rows from the shared columns (fitLinearInBlocks), the same numbers to the bit. Beside the columns
 * it is read from, a built matrix is most of the data's size again (1.2 GB for 10M × 19 training
 * rows beside 1.5 GB of columns), which a training past memory cannot afford; below this size the
 * built matrix is kept, since each of the fit's two passes over blocks gathers every value from
 * its column at the row's shuffled position.
 */
const BLOCKS_PAST_BYTES = 512 * 2 ** 20;

/** What a stage request built, kept for the next fit: the matrix, or (a large linear regression) how to write it a block at a time. */
type Staged =
  | { data: Float64Array; y: Float64Array }
  | { fill: FillRows; y: Float64Array; rows: number; cols: number; means: { xMean: Float64Array; yMean: number } };
let staged: Staged | undefined;

parentPort!.on("message", (req: FitRequest | StageRequest) => {
  if (req.kind === "stage") {
    stage(req);
    return;
  }
  try {
    const input = "staged" in req.input ? takeStaged(req.rows, req.cols) : req.input;
    const rule = stopRule({
      deadline: req.deadline,
      stopAfter: req.stopAfter,
      stopped: () => Atomics.load(req.stop, 0) === 1,
      onProgress: (done) => post({ progress: done }),
    });
    let predictor: Predictor;
    if ("fill" in input) {
      // Staged in blocks only for a linear regression (stage): fitEstimator's linear case, without the matrix.
      const { l2 } = resolvedHyperparameters("linear_regression", req.task, req.hyperparameters);
      predictor = loadEstimator({ kind: "linear_regression", ...fitLinearInBlocks(input.fill, input.y, req.rows, req.cols, l2, input.means) });
    } else {
      predictor = fitEstimator(
        req.estimator,
        req.task,
        { data: input.data, rows: req.rows, cols: req.cols },
        input.y,
        req.nClasses,
        req.hyperparameters,
        req.seed,
        rule.shouldStop,
      );
    }
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
    // The steps the calling thread's fitPipelineDeferred would fit (it takes these instead), then
    // the matrix through them by transform's own fill: the matrix transform would build.
    const columns = req.columns.map((values, j) => ({ name: `column ${j}`, type: "number" as const, values, nulls: req.nulls[j] }));
    const steps = columns.map((c) => numericStepValues(c, rows, req.scale));
    const targets = steps.map((s, j) => ({ column: String(j), j, impute: s.impute, ...(s.scale ?? { mean: 0, std: 1 }) }));
    if (req.estimator === "linear_regression" && n * p * 8 > (req.blocksPastBytes ?? BLOCKS_PAST_BYTES)) {
      stageBlocks(req, rows, targets, steps);
      return;
    }
    const data = new Float64Array(n * p);
    const filled = fillTypedNumbers(targets, n, p, { numbers: (column) => ({ values: req.columns[Number(column)], rows }) }, data);
    if (filled.size !== p) {
      post({ staged: undefined });
      return;
    }
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) y[k] = req.y[rows[k]];
    staged = { data, y };
    const named = rows.slice();
    post({ staged: named, steps }, [named.buffer as ArrayBuffer]);
    warmUp(req, data, y, p);
  } catch {
    // A column with no value in the training rows (allNull): the calling thread's pipeline says so.
    post({ staged: undefined });
  }
}

/**
 * stage for a large linear regression: the steps and the target as stage keeps them, and instead of
 * the matrix a fill that writes any block of its rows through the same fillTypedNumbers; the first
 * of the fit's two passes (the means) runs now, while the gates run, and finds an infinite value as
 * building the matrix would.
 */
function stageBlocks(req: StageRequest, rows: Int32Array, targets: NumericTarget[], steps: NumericStepValues[]): void {
  const n = rows.length;
  const p = targets.length;
  const fill = windowedRowFill(targets, req.columns, rows, p);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) y[k] = req.y[rows[k]];
  const means = blockMeans(fill, y, n, p);
  if (!means) {
    post({ staged: undefined });
    return;
  }
  staged = { fill, y, rows: n, cols: p, means };
  const named = rows.slice();
  post({ staged: named, steps }, [named.buffer as ArrayBuffer]);
}

/** Rows of the slice warmUp fits on: enough loop iterations for V8 to optimise the fit's loops. */
const WARM_ROWS = 16_384;
const WARM_HYPERPARAMETERS = { linear_regression: {}, logistic_regression: { max_iter: 30 } };

/**
 * A linear or logistic fit on the first rows of the staged matrix, thrown away, while the gates
 * still run: V8 compiles the fit's hot loops on a background thread, and when the statistics
 * thread keeps the other core busy that compile lands late, so the real fit ran most of its rows in
 * unoptimised code (train_model's 1M × 19 linear fit ~0.6 s against a bare fitLinear's 0.42 s;
 * fitLinear alone beside a busy thread, both at real-time priority: 7.7 s cold, 0.39 s after this
 * warm-up and 300 ms idle, 0.41 s cold with V8's compiles made on the running thread). Nothing of it
 * is kept but the compiled code: the model comes from the real fit alone. A slice that cannot be
 * fitted (one class only) warms nothing; the iterations are capped, so a slow slice cannot hold up
 * the fit queued behind it.
 */
function warmUp(req: StageRequest, data: Float64Array, y: Float64Array, p: number): void {
  if (req.estimator !== "linear_regression" && req.estimator !== "logistic_regression") return;
  const rows = Math.min(WARM_ROWS, y.length);
  try {
    fitEstimator(
      req.estimator,
      req.task,
      { data: data.subarray(0, rows * p), rows, cols: p },
      y.subarray(0, rows),
      req.nClasses,
      WARM_HYPERPARAMETERS[req.estimator],
      0,
    );
  } catch {
    // Warming only: the real fit reports whatever is wrong.
  }
}

/** The staged matrix and target, let go here: the fit owns them. */
function takeStaged(n: number, p: number): Staged {
  const taken = staged;
  staged = undefined;
  const shape = taken && ("fill" in taken ? taken.rows === n && taken.cols === p : taken.data.length === n * p);
  if (!shape) throw new Error("The fit worker holds no staged matrix of this shape.");
  return taken!;
}
