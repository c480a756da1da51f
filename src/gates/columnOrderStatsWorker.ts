/**
 * The worker side of startColumnOrderStats: foresees the rows the fit will use (the split rule
 * fitAndEvaluate follows), computes each column's statistics on them (columnOrderStats, the same
 * code the calling thread runs when no worker can be had) and posts them back in one reply with
 * those rows, which the calling thread compares with the fit's. A column's values arrive shared
 * (a SharedArrayBuffer) or as a transferred copy owned here, let go once its column is done.
 */
import { parentPort } from "node:worker_threads";
import { fittedRows } from "../models/split.js";
import { columnOrderStats, rowGroups, type ColumnOrderStats } from "./columnOrderStats.js";

export interface OrderStatsRequest {
  columns: ({ name: string; values: Float64Array } | undefined)[];
  /** The dataset's row count. */
  rows: number;
  /** The rows with a target, ascending. */
  keep: Int32Array;
  split: { seed: number; testSize: number; cvFolds?: number };
}

export type OrderStatsReply = { ok: true; results: ColumnOrderStats[]; trainRows: Int32Array } | { ok: false; message: string };

parentPort!.once("message", (request: OrderStatsRequest) => {
  let reply: OrderStatsReply;
  try {
    const { split } = request;
    const trainRows = fittedRows(request.keep, split);
    const groups = rowGroups(request.rows, request.keep, trainRows);
    if (!groups) throw new Error("The training rows foreseen are not rows with a target, each once.");
    const results: ColumnOrderStats[] = [];
    for (let k = 0; k < request.columns.length; k++) {
      const column = request.columns[k]!;
      request.columns[k] = undefined;
      results.push(columnOrderStats(column.name, column.values, groups));
    }
    reply = { ok: true, results, trainRows };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply, reply.ok ? [reply.trainRows.buffer as ArrayBuffer] : []);
});
