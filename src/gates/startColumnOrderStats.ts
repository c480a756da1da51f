import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { getColumn, type NumberColumn } from "../data/Dataset.js";
import type { FeatureStats } from "../models/ModelJson.js";
import type { ReferenceColumn } from "../monitoring/reference/DriftReference.js";
import type { NumberSnapshot } from "../quality/trainingSnapshot.js";
import type { TrainingData } from "../training/prepareTrainingData.js";
import { sameRows } from "../training/sameRows.js";
import { columnOrderStats, rowGroups, type ColumnOrderStats, type RowGroups } from "./columnOrderStats.js";
import type { OrderStatsReply, OrderStatsRequest } from "./columnOrderStatsWorker.js";

const WORKER = new URL("./columnOrderStatsWorker.js", import.meta.url);

/**
 * Values (number columns × rows) from which the statistics are computed on a worker thread: a
 * million values take ~0.1 s to sort, a worker ~0.05 s to start. Below it they are computed on the
 * calling thread once the fit is done.
 */
const WORKER_MIN_VALUES = 500_000;
/**
 * Most bytes of columns copied for the worker (columns not in shared memory, such as views on the
 * column cache's file): past it the copies would raise a big training's peak memory by as much as
 * its data, so the calling thread computes the statistics after the fit instead.
 */
const MAX_COPY_BYTES = 512 * 2 ** 20;

/** Each number column's parts of what a run stores, by column name (see columnOrderStats). */
export interface RunColumnStats {
  /** data/snapshot.json's number columns (every row). */
  snapshot: ReadonlyMap<string, NumberSnapshot>;
  /** monitoring/reference.json's number columns (the rows with a target). */
  drift: ReadonlyMap<string, Extract<ReferenceColumn, { kind: "number" }>>;
  /** model.json's reference_stats (the rows the model was fitted on); empty when the fit used other rows than foreseen. */
  stats: ReadonlyMap<string, FeatureStats>;
  /** The imputer's medians on the rows the model was fitted on (ColumnOrderStats.median); empty as `stats` is. */
  medians: ReadonlyMap<string, number>;
}

/** A computation started before the fit, taken after it. */
export interface ColumnOrderStatsJob {
  /** The statistics, given the rows the model was fitted on. */
  take(trainRows: Int32Array): Promise<RunColumnStats | undefined>;
  /** Stops the worker, if one still runs: call it when the training ends, however it ends. */
  cancel(): void;
}

/**
 * Starts computing what a training stores about its number columns (features and target): the
 * training snapshot, the drift reference and model.json's reference stats, all from one sort of
 * each column (columnOrderStats). The rows the fit will use are foreseen from the split rule
 * (fitAndEvaluate's: the rows with a target shuffled with the seed, the first 1 − testSize of
 * them, or all of them with k folds), so that on a big training a worker thread does the work while
 * the calling thread runs the gates and the fit (the worker draws them, off this thread). `take`
 * compares them with the rows the fit used: other rows, or the same in another order (a changed
 * split rule), leave the reference stats out, to be computed by trainedModelJson as before. A small training, a machine with one core or a worker that fails
 * computes on the calling thread in `take`. The numbers are the same either way, bit for bit.
 *
 * @example
 * ```ts
 * const job = startColumnOrderStats(data, { seed: 42, testSize: 0.2 });
 * try {
 *   const fitted = await fitAndEvaluate(plan, { testSize: 0.2 });
 *   const computed = await job.take(fitted.trainRows);
 * } finally {
 *   job.cancel();
 * }
 * ```
 */
export function startColumnOrderStats(
  data: TrainingData,
  split: { seed: number; testSize: number; cvFolds?: number },
  options: { workers?: number; minValues?: number } = {},
): ColumnOrderStatsJob {
  const columns = numberColumns(data);
  const inline = (trainRows: Int32Array): RunColumnStats | undefined => {
    const rows = rowGroups(data.ds.rows, data.keep, trainRows);
    return rows && collect(columns, columnsStats(columns, rows), true);
  };
  const workers = options.workers ?? (availableParallelism() > 1 ? 1 : 0);
  const copyBytes = columns.reduce((n, c) => n + (c.values.buffer instanceof SharedArrayBuffer ? 0 : c.values.byteLength), 0);
  if (columns.length === 0 || workers < 1 || columns.length * data.ds.rows < (options.minValues ?? WORKER_MIN_VALUES) || copyBytes > MAX_COPY_BYTES) {
    return { take: async (trainRows) => inline(trainRows), cancel: () => {} };
  }
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER);
  } catch {
    // No thread to be had (a resource limit): the calling thread computes them after the fit.
    return { take: async (trainRows) => inline(trainRows), cancel: () => {} };
  }
  const running = worker;
  // Settles on the reply, an error or the worker's end, and never rejects: nothing awaits it
  // until the fit is done, and a rejection left unhandled that long would end the process.
  const outcome = new Promise<Extract<OrderStatsReply, { ok: true }> | undefined>((resolve) => {
    running.once("message", (reply: OrderStatsReply) => resolve(reply.ok ? reply : undefined));
    running.once("error", () => resolve(undefined));
    running.once("exit", () => resolve(undefined));
  }).finally(() => void running.terminate());
  // Columns in shared memory are shared; the others are copied, and the copies moved.
  const sent = columns.map((c) => ({ name: c.name, values: c.values.buffer instanceof SharedArrayBuffer ? c.values : c.values.slice() }));
  const request: OrderStatsRequest = { columns: sent, rows: data.ds.rows, keep: Int32Array.from(data.keep), split };
  const moved = sent.flatMap((c) => (c.values.buffer instanceof SharedArrayBuffer ? [] : [c.values.buffer as ArrayBuffer]));
  running.postMessage(request, [...moved, request.keep.buffer as ArrayBuffer]);
  return {
    async take(trainRows) {
      const reply = await outcome;
      if (!reply) return inline(trainRows);
      // The rows foreseen are the fit's when they come in the same order (the same rule made them).
      return collect(columns, reply.results, sameRows(reply.trainRows, trainRows));
    },
    cancel: () => void running.terminate(),
  };
}

/** The distinct number columns among the features and the target that are the dataset's own (the builders read those by name). */
function numberColumns(data: TrainingData): NumberColumn[] {
  const out = new Map<string, NumberColumn>();
  for (const c of [...data.features, data.targetColumn]) {
    if (c.type === "number" && !out.has(c.name) && getColumn(data.ds, c.name) === c) out.set(c.name, c);
  }
  return [...out.values()];
}

function columnsStats(columns: NumberColumn[], rows: RowGroups): ColumnOrderStats[] {
  return columns.map((c) => columnOrderStats(c.name, c.values, rows));
}

function collect(columns: NumberColumn[], results: ColumnOrderStats[], withStats: boolean): RunColumnStats {
  const named = columns.map((c, k) => [c.name, results[k]] as const);
  return {
    snapshot: new Map(named.map(([name, r]) => [name, r.snapshot])),
    drift: new Map(named.map(([name, r]) => [name, r.drift])),
    stats: new Map(withStats ? named.map(([name, r]) => [name, r.stats]) : []),
    medians: new Map(withStats ? named.map(([name, r]) => [name, r.median]) : []),
  };
}
