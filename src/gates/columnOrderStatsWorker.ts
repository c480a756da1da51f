/**
 * The worker side of startColumnOrderStats: foresees the rows the fit will use (the split rule
 * fitAndEvaluate follows), computes each column's statistics on them (columnOrderStats, the same
 * code the calling thread runs when no worker can be had) and posts them back (see
 * OrderStatsReply) with those rows, which the calling thread compares with the fit's. A column's values arrive shared
 * (a SharedArrayBuffer) or as a transferred copy owned here, let go once its column is done.
 */
import { parentPort } from "node:worker_threads";
import { holdoutSplit, shuffledRows } from "../models/split.js";
import { columnOrderStats, rowGroups, type ColumnOrderStats } from "./columnOrderStats.js";

export interface OrderStatsRequest {
  columns: ({ name: string; values: Float64Array } | undefined)[];
  /** The dataset's row count. */
  rows: number;
  /** The rows with a target, ascending. */
  keep: Int32Array;
  split: { seed: number; testSize: number; cvFolds?: number };
}

/**
 * What the worker posts: the rows it foresaw as soon as it has drawn them, each column's imputer
 * median as soon as that column is done (the fit's thread takes the ones it has instead of finding
 * them itself), then every column's statistics in one reply, or why it failed.
 */
export type OrderStatsReply =
  | { kind: "rows"; trainRows: Int32Array }
  | { kind: "median"; column: number; median: number }
  | { kind: "done"; results: ColumnOrderStats[] }
  | { kind: "failed"; message: string };

const post = (reply: OrderStatsReply, moved: ArrayBuffer[] = []) => parentPort!.postMessage(reply, moved);

parentPort!.once("message", (request: OrderStatsRequest) => {
  try {
    const { split } = request;
    // fitAndEvaluate's rows: shuffled with the seed, then all of them (k folds) or the holdout's first share.
    const shuffled = shuffledRows(request.keep, split.seed);
    const trainRows = split.cvFolds !== undefined ? shuffled : holdoutSplit(shuffled, split.testSize).train;
    const groups = rowGroups(request.rows, request.keep, trainRows);
    if (!groups) throw new Error("The training rows foreseen are not rows with a target, each once.");
    const sent = trainRows.slice();
    post({ kind: "rows", trainRows: sent }, [sent.buffer as ArrayBuffer]);
    const results: ColumnOrderStats[] = [];
    for (let k = 0; k < request.columns.length; k++) {
      const column = request.columns[k]!;
      request.columns[k] = undefined;
      const stats = columnOrderStats(column.name, column.values, groups);
      results.push(stats);
      post({ kind: "median", column: k, median: stats.median });
    }
    post({ kind: "done", results });
  } catch (e) {
    post({ kind: "failed", message: e instanceof Error ? e.message : String(e) });
  }
});
