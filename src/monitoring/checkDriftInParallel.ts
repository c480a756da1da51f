import { availableParallelism } from "node:os";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { DwError } from "../errors/DwError.js";
import { type DriftOptions, checkDrift, driftReportOf, planDrift } from "./checkDrift.js";
import { type ColumnJob, compareColumn } from "./compareColumn.js";
import type { ColumnReply, ColumnRequest } from "./driftColumnWorker.js";
import type { ColumnDrift, DriftReport } from "./DriftReport.js";
import type { DriftBaseline, DriftCurrent } from "./DriftSide.js";

const WORKER = new URL("./driftColumnWorker.js", import.meta.url);

/**
 * Below this many numeric values (both sides, all columns) a check runs on the calling thread:
 * a million values sort and compare in ~0.1 s, a worker takes ~0.05 s to start. The server's
 * scheduled check (5,000 rows) stays far below it.
 */
export const PARALLEL_MIN_VALUES = 2_000_000;

/** Requests a worker holds at once: one it computes and one waiting, so it never idles while the main thread is busy with a column. */
const DEPTH = 2;
/**
 * What a worker holds while the calling thread reads the prediction instead of taking columns: a
 * dataset side scores the model then (about three columns' time for 1M rows of 20 inputs), and
 * the calling thread answers no message until it is done.
 */
const DEPTH_WHILE_PREDICTING = 5;

export interface ParallelOptions {
  /** Worker threads besides the calling one (default: DW_DRIFT_WORKERS when set, 0 for none; else the cores available, less one). */
  workers?: number;
  /** Numeric values below which no worker is started (default PARALLEL_MIN_VALUES). */
  minValues?: number;
}

/**
 * checkDrift with the numeric columns shared between the calling thread and worker threads: the
 * same report to the last bit (each column is compared by the same code, compareColumn, on its
 * own copy of the values; the report is assembled in the baseline's order). The columns go to
 * the workers first; meanwhile the calling thread reads the prediction (a dataset side scores
 * the model on first read), then takes columns from the same queue. Categorical columns stay on
 * the calling thread (their text would be copied, not moved). A small check, or a machine with
 * one core, runs checkDrift as is. A worker that fails to start or dies leaves its columns to the
 * calling thread. Errors are the ones checkDrift throws: the first failing column's, in order.
 *
 * @example
 * ```ts
 * const report = await checkDriftInParallel(baselineFromDataset(refRecord, refDs, model), currentFromDataset(curRecord, curDs, model), { driftShare: 0.5 });
 * ```
 */
export async function checkDriftInParallel(
  baseline: DriftBaseline,
  current: DriftCurrent,
  options: DriftOptions = {},
  parallel: ParallelOptions = {},
): Promise<DriftReport> {
  const plan = planDrift(baseline, current);
  const judging = { method: options.method, threshold: options.threshold };
  const jobs: (ColumnJob | null)[] = plan.entries.map((e) => ("job" in e ? e.job : null));
  const movable = jobs.flatMap((j, at) => (j && numeric(j) ? [at] : []));
  const values = movable.reduce((n, at) => n + size(jobs[at]!), 0);
  const workerCount = Math.min(parallel.workers ?? defaultWorkers(), movable.length - 1);
  if (workerCount < 1 || values < (parallel.minValues ?? PARALLEL_MIN_VALUES)) return checkDrift(baseline, current, options);

  const results: (ColumnDrift | string | undefined)[] = plan.entries.map((e) => ("skip" in e ? e.skip.reason : undefined));
  const failures = new Map<number, unknown>();
  const queue = [...movable];
  let pending = 0;
  let wake: (() => void) | undefined;
  const settle = (at: number, outcome: { result: ColumnDrift | string } | { error: unknown }) => {
    if ("result" in outcome) results[at] = outcome.result;
    else failures.set(at, outcome.error);
    pending--;
    wake?.();
  };
  const run = (at: number) => {
    pending++;
    try {
      settle(at, { result: compareColumn(jobs[at]!, judging) });
    } catch (error) {
      settle(at, { error });
    }
  };

  const workers: Worker[] = [];
  const feed = (worker: Worker, inFlight: Set<number>, depth = DEPTH) => {
    while (inFlight.size < depth && queue.length) {
      const at = queue.shift()!;
      const job = jobs[at]!;
      // A copy the worker owns: the dataset's own arrays are shared by every reader in this process.
      const ref = (job.ref.values as Float64Array).slice();
      const cur = (job.cur.values as Float64Array).slice();
      const request: ColumnRequest = { at, job: { ...job, ref: { kind: "number", values: ref }, cur: { kind: "number", values: cur } }, judging };
      inFlight.add(at);
      pending++;
      worker.postMessage(request, [ref.buffer, cur.buffer]);
    }
  };
  for (let k = 0; k < workerCount; k++) {
    let worker: Worker;
    try {
      worker = new Worker(WORKER);
    } catch {
      // No more threads to be had (a resource limit): the calling thread and the workers started do the rest.
      break;
    }
    const inFlight = new Set<number>();
    let gone = false;
    const leave = () => {
      if (gone) return;
      gone = true;
      // Its columns go back to the queue: the calling thread still holds their values.
      for (const at of inFlight) {
        queue.unshift(at);
        pending--;
      }
      inFlight.clear();
      wake?.();
    };
    worker.on("message", (reply: ColumnReply) => {
      inFlight.delete(reply.at);
      if (reply.ok) settle(reply.at, { result: reply.result });
      else settle(reply.at, { error: "dw" in reply ? new DwError(reply.dw.code, reply.dw.message, reply.dw) : workerError(reply) });
      if (!gone) feed(worker, inFlight);
    });
    worker.once("error", leave);
    worker.once("exit", leave);
    workers.push(worker);
    feed(worker, inFlight, Math.max(DEPTH, Math.min(DEPTH_WHILE_PREDICTING, Math.floor(movable.length / (workerCount + 1)))));
  }

  try {
    // The prediction (read now: a dataset side scores the model here, while the workers compare columns).
    let prediction: ColumnDrift | string | null = null;
    let predictionError: unknown;
    let predictionJob: ColumnJob | null = null;
    try {
      predictionJob = plan.prediction();
    } catch (e) {
      // Thrown after the columns' errors, as checkDrift (which reads the prediction last) would.
      predictionError = e;
    }
    if (predictionJob && numeric(predictionJob)) {
      jobs.push(predictionJob);
      queue.push(jobs.length - 1);
    } else if (predictionJob) {
      try {
        prediction = compareColumn(predictionJob, judging);
      } catch (e) {
        predictionError = e;
      }
    }
    for (const [at, job] of jobs.entries()) if (job && !numeric(job)) run(at);
    for (;;) {
      // Let replies in (and the workers be fed) between the columns this thread takes.
      await nextTurn();
      const at = queue.shift();
      if (at !== undefined) run(at);
      else if (pending === 0) break;
      else await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    const last = jobs.length - 1;
    if (predictionJob && numeric(predictionJob)) {
      if (failures.has(last)) predictionError = failures.get(last);
      else prediction = results[last] ?? null;
    }
    for (let at = 0; at < plan.entries.length; at++) if (failures.has(at)) throw failures.get(at);
    if (predictionError !== undefined) throw predictionError;
    return driftReportOf(baseline, current, plan, results.slice(0, plan.entries.length) as (ColumnDrift | string)[], prediction, options);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** DW_DRIFT_WORKERS (a whole number; 0 keeps every check on the calling thread, e.g. on a machine shared with other work), else one less than the cores. */
function defaultWorkers(): number {
  const asked = process.env.DW_DRIFT_WORKERS;
  if (asked !== undefined && /^\d+$/.test(asked.trim())) return Number(asked);
  return availableParallelism() - 1;
}

function numeric(job: ColumnJob): boolean {
  return job.kind === "number" && job.ref.kind === "number" && job.cur.kind === "number" && !job.full;
}

function size(job: ColumnJob): number {
  return job.ref.values.length + job.cur.values.length;
}

function workerError(reply: { name: string; message: string; stack?: string }): Error {
  const e = new Error(reply.message);
  e.name = reply.name;
  if (reply.stack) e.stack = reply.stack;
  return e;
}
