import { Worker } from "node:worker_threads";
import type { FeatureMatrix } from "./FeatureMatrix.js";
import { loadEstimator, type Estimator, type EstimatorJson, type Predictor, type Task } from "./estimators.js";
import type { FitRequest } from "./fitWorker.js";

const WORKER = new URL("./fitWorker.js", import.meta.url);

export interface FitOutcome {
  predictor: Predictor;
  /** The deadline ended the fit before every tree or iteration was built. */
  budgetHit: boolean;
  /** The signal aborted the fit. */
  interrupted: boolean;
}

/**
 * Fits an estimator on a worker thread, so that the caller's event loop stays free: a kernel
 * interrupt (which arrives as a message or a signal on that loop) can stop a long fit between two
 * trees, and a time budget ends it with the trees built so far. X's and y's buffers are moved to
 * the worker, not copied: do not use them afterwards.
 */
export function fitInWorker(
  estimator: Estimator,
  task: Task,
  X: FeatureMatrix,
  y: Float64Array,
  nClasses: number,
  hyperparameters: Record<string, unknown>,
  seed: number,
  options: { deadline?: number; signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<FitOutcome> {
  return new Promise((resolve, reject) => {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER);
    let interrupted = false;
    const onAbort = () => {
      interrupted = true;
      Atomics.store(stop, 0, 1);
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      options.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
    };
    worker.on(
      "message",
      (
        m: { progress: number } | { done: true; ok: true; json: EstimatorJson; budgetHit: boolean } | { done: true; ok: false; name: string; message: string },
      ) => {
        if ("progress" in m) {
          options.onProgress?.(m.progress);
          return;
        }
        done();
        if (m.ok) resolve({ predictor: loadEstimator(m.json), budgetHit: m.budgetHit && !interrupted, interrupted });
        else reject(Object.assign(new Error(m.message), { name: m.name }));
      },
    );
    worker.once("error", (e) => {
      done();
      reject(e);
    });
    const data = X.data instanceof Float64Array ? X.data : Float64Array.from(X.data);
    const req: FitRequest = {
      estimator,
      task,
      data,
      rows: X.rows,
      cols: X.cols,
      y,
      nClasses,
      hyperparameters,
      seed,
      deadline: options.deadline ?? Infinity,
      stop,
    };
    worker.postMessage(req, [data.buffer as ArrayBuffer, y.buffer as ArrayBuffer]);
  });
}
