import { Worker } from "node:worker_threads";
import type { FeatureMatrix } from "./FeatureMatrix.js";
import { loadEstimator, type Estimator, type Predictor, type Task } from "./estimators.js";
import type { FitRequest, FitReply, StageRequest } from "./fitWorker.js";
import type { NumericStepValues } from "./numericStepValues.js";

const WORKER = new URL("./fitWorker.js", import.meta.url);
/** An idle worker is kept this long for the next fit: starting one (loading the model code) costs more than most small fits. */
const IDLE_MS = 5_000;

export interface FitOutcome {
  predictor: Predictor;
  /** The deadline ended the fit before every tree or iteration was built. */
  budgetHit: boolean;
  /** The signal aborted the fit. */
  interrupted: boolean;
}

export type FitOptions = { deadline?: number; stopAfter?: number; signal?: AbortSignal; onProgress?: (done: number) => void };

/**
 * Fits an estimator on a worker thread, so that the caller's event loop stays free: a kernel
 * interrupt (which arrives as a message or a signal on that loop) can stop a long fit between two
 * trees, and a time budget ends it with the trees built so far. X's and y's buffers are moved to
 * the worker, not copied: do not use them afterwards. A worker that finished a fit is kept warm
 * for a few seconds, so the many small fits of a cross-validation do not each start one.
 */
export function fitInWorker(
  estimator: Estimator,
  task: Task,
  X: FeatureMatrix,
  y: Float64Array,
  nClasses: number,
  hyperparameters: Record<string, unknown>,
  seed: number,
  options: FitOptions = {},
): Promise<FitOutcome> {
  const data = X.data instanceof Float64Array ? X.data : Float64Array.from(X.data);
  const request = { estimator, task, input: { data, y }, rows: X.rows, cols: X.cols, nClasses, hyperparameters, seed };
  return runFit(takeWorker(), request, [data.buffer as ArrayBuffer, y.buffer as ArrayBuffer], options);
}

/** A training's feature matrix built ahead of its fit on a fit worker (stageMatrix). */
export interface StagedMatrix {
  /** The columns it holds, in matrix order. */
  readonly columns: readonly string[];
  /** Whether its steps standardise. */
  readonly scale: boolean;
  /** The dataset rows of its matrix rows, once built; undefined when it could not be (a ±Infinity value, a column with no training value, a worker that failed). */
  readonly rows: Promise<Int32Array | undefined>;
  /** The numeric step each column went through (numericStepValues on those rows), once built; undefined when rows is. */
  readonly steps: Promise<readonly NumericStepValues[] | undefined>;
  /** Whether a fit took it already (or it was released): a staged matrix serves one fit. */
  readonly used: boolean;
  /** Ends the worker holding it, unless a fit took it: call it when the training ends, however it ends. */
  release(): void;
}

/** The worker behind each StagedMatrix, and whether a fit took it. */
const stagedWorkers = new WeakMap<StagedMatrix, { worker: Worker; taken: boolean }>();

/**
 * Has a fit worker (the warm one, see warmFitWorker) fit a training's numeric preprocessing and
 * build its feature matrix and target now, so that the fit need not: train_model stages it when it
 * has read the data, and the worker does it while the gates run. `columns` are number columns in
 * shared memory (read there, not copied), each with its dataset's missing count, `y` is moved; the
 * rows are those the split rule gives (fitAndEvaluate's), which the caller compares with its own
 * before it takes the steps (fitPipelineDeferred's `known`) and fitInStagedWorker. The worker is
 * unref'd until a fit takes it, so a training that ends before its fit never waits for it
 * (release ends it).
 *
 * @example
 * ```ts
 * const staged = stageMatrix([{ name: "x0", values: shared0, nulls: 0 }], y, keep, { seed: 42, testSize: 0.2 }, false, {
 *   estimator: "linear_regression",
 *   task: "regression",
 *   nClasses: 0,
 * });
 * try {
 *   // … gates …
 *   if (sameRows(await staged.rows, trainRows)) await fitInStagedWorker(staged, "linear_regression", "regression", trainRows.length, 0, {}, 42);
 * } finally {
 *   staged.release();
 * }
 * ```
 */
export function stageMatrix(
  columns: readonly { name: string; values: Float64Array; nulls: number }[],
  y: Float64Array,
  keep: Int32Array,
  split: { seed: number; testSize: number; cvFolds?: number },
  scale: boolean,
  fit: { estimator: Estimator; task: Task; nClasses: number; blocksPastBytes?: number },
): StagedMatrix {
  const worker = takeWorker();
  worker.unref();
  // The worker is reused by the next training: whichever of the three fires first removes all three,
  // so no listener (nor the rows it holds) outlives this staging.
  const built = new Promise<{ rows: Int32Array; steps: NumericStepValues[] } | undefined>((resolve) => {
    const done = (value: { rows: Int32Array; steps: NumericStepValues[] } | undefined) => {
      worker.off("message", onMessage);
      worker.off("error", onEnd);
      worker.off("exit", onEnd);
      resolve(value);
    };
    const onMessage = (m: FitReply) => {
      if ("staged" in m) done(m.staged && m.steps?.length === columns.length ? { rows: m.staged, steps: m.steps } : undefined);
    };
    const onEnd = () => done(undefined);
    worker.on("message", onMessage);
    worker.on("error", onEnd);
    worker.on("exit", onEnd);
  });
  const staged: StagedMatrix = {
    columns: columns.map((c) => c.name),
    scale,
    rows: built.then((b) => b?.rows),
    steps: built.then((b) => b?.steps),
    get used() {
      return stagedWorkers.get(staged)?.taken !== false;
    },
    release() {
      const own = stagedWorkers.get(staged);
      if (own && !own.taken) void own.worker.terminate();
      stagedWorkers.delete(staged);
    },
  };
  stagedWorkers.set(staged, { worker, taken: false });
  const request: StageRequest = { kind: "stage", columns: columns.map((c) => c.values), nulls: columns.map((c) => c.nulls), scale, ...fit, y, keep, split };
  worker.postMessage(request, [y.buffer as ArrayBuffer, keep.buffer as ArrayBuffer]);
  return staged;
}

/**
 * fitInWorker on a matrix staged by stageMatrix, once the caller knows it is the one it would build:
 * the fit's rows, through its pipeline's steps.
 */
export function fitInStagedWorker(
  staged: StagedMatrix,
  estimator: Estimator,
  task: Task,
  rows: number,
  nClasses: number,
  hyperparameters: Record<string, unknown>,
  seed: number,
  options: FitOptions = {},
): Promise<FitOutcome> {
  const own = stagedWorkers.get(staged);
  if (!own || own.taken) return Promise.reject(new Error("This staged matrix was released or already fitted."));
  own.taken = true;
  own.worker.ref();
  const request = { estimator, task, input: { staged: true as const }, rows, cols: staged.columns.length, nClasses, hyperparameters, seed };
  return runFit(own.worker, request, [], options);
}

function runFit(
  worker: Worker,
  request: Omit<FitRequest, "kind" | "deadline" | "stop" | "stopAfter">,
  moved: ArrayBuffer[],
  options: FitOptions,
): Promise<FitOutcome> {
  return new Promise((resolve, reject) => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    let interrupted = false;
    const onAbort = () => {
      interrupted = true;
      Atomics.store(stop, 0, 1);
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const detach = () => {
      options.signal?.removeEventListener("abort", onAbort);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (m: FitReply) => {
      if ("staged" in m) return;
      if ("progress" in m) {
        options.onProgress?.(m.progress);
        return;
      }
      detach();
      releaseWorker(worker);
      if (m.ok) resolve({ predictor: loadEstimator(m.json), budgetHit: m.budgetHit && !interrupted, interrupted });
      else reject(Object.assign(new Error(m.message), { name: m.name }));
    };
    const onError = (e: Error) => {
      detach();
      void worker.terminate();
      reject(e);
    };
    const onExit = (code: number) => {
      detach();
      reject(new Error(`The fit worker stopped (exit code ${code}) before it finished.`));
    };
    worker.on("message", onMessage);
    worker.once("error", onError);
    worker.once("exit", onExit);
    const req: FitRequest = {
      kind: "fit",
      ...request,
      deadline: options.deadline ?? Infinity,
      stop,
      stopAfter: options.stopAfter ?? Infinity,
    };
    worker.postMessage(req, moved);
  });
}

/** The one idle worker kept warm, and the timer that ends it. */
let idle: { worker: Worker; timer: NodeJS.Timeout } | undefined;

/**
 * Starts the fit worker now, before a fit is asked for, so that the fit does not wait for a new
 * thread to load the model code (60-100 ms, more on a busy machine): train_model calls it when it
 * has read the data, and the worker loads while the gates run. It is kept as a worker that just
 * finished a fit is (unref'd, ended after IDLE_MS unused), so a training that fails or is
 * interrupted before its fit leaves nothing running and never holds the process open. Nothing
 * happens when an idle worker is already waiting.
 *
 * @example
 * ```ts
 * warmFitWorker();
 * // … read, check the gates …
 * await fitInWorker("random_forest", "regression", X, y, 0, {}, 42); // takes the waiting worker
 * ```
 */
export function warmFitWorker(): void {
  if (idle) return;
  const worker = new Worker(WORKER);
  // A worker that fails while it waits is forgotten (a fit then starts its own, and meets the
  // error there), rather than left to throw an 'error' nobody listens to.
  worker.once("error", () => {
    if (idle?.worker !== worker) return;
    clearTimeout(idle.timer);
    idle = undefined;
  });
  releaseWorker(worker);
}

function takeWorker(): Worker {
  if (!idle) return new Worker(WORKER);
  const { worker, timer } = idle;
  idle = undefined;
  clearTimeout(timer);
  worker.ref();
  return worker;
}

/** Keeps a worker that finished a fit for the next one (unref'd, so it never holds the process open); a second idle one is ended. */
function releaseWorker(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = undefined;
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idle = { worker, timer };
}
