/**
 * The worker side of checkDriftInParallel: compares one column per request (compareColumn, the
 * same code the main thread runs) and posts the result back, or the error as JSON; the worker then
 * waits for the next request. The column's values arrive as transferred buffers (owned here).
 */
import { parentPort } from "node:worker_threads";
import { type DwErrorJSON, isDwError } from "../errors/DwError.js";
import { type ColumnJob, type ColumnJudging, compareColumn } from "./compareColumn.js";
import type { ColumnDrift } from "./DriftReport.js";

export interface ColumnRequest {
  /** The column's place in the check's plan, returned with the reply. */
  at: number;
  job: ColumnJob;
  judging: ColumnJudging;
}

export type ColumnReply =
  | { at: number; ok: true; result: ColumnDrift | string }
  | { at: number; ok: false; dw: DwErrorJSON }
  | { at: number; ok: false; name: string; message: string; stack?: string };

parentPort!.on("message", ({ at, job, judging }: ColumnRequest) => {
  let reply: ColumnReply;
  try {
    reply = { at, ok: true, result: compareColumn(job, judging) };
  } catch (e) {
    if (isDwError(e)) reply = { at, ok: false, dw: e.toJSON() };
    else {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { at, ok: false, name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
    }
  }
  parentPort!.postMessage(reply);
});
