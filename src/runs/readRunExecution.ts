import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { HistoryDocument } from "../execution/HistoryDocument.js";
import type { Finding } from "../execution/Finding.js";
import type { NotebookSource } from "../execution/ExecutionRecord.js";
import { readRun } from "./readRun.js";
import { runRef } from "./runId.js";

/** The most of history.ts or notebook.ts that is read (8 MiB): the kernel's history is bounded, a notebook's code is kilobytes. */
export const RUN_SCRIPT_MAX_BYTES = 8 * 2 ** 20;

/** execution/environment.json as read back: loose, so a field a later dw adds is kept. */
export const StoredEnvironment = z.looseObject({ node: z.string(), dw: z.string() });

/** What a run commit says of how the run came about; null where the commit has no such file (runs made before they were written, or not from a kernel). */
export interface RunExecution {
  run_id: string;
  oid: string;
  created_at: string;
  cell_id: string | null;
  notebook_path: string | null;
  notebook_source: NotebookSource | null;
  history: HistoryDocument | null;
  history_ts: string | null;
  notebook_ts: string | null;
  findings: Finding[];
  environment: Record<string, unknown> | null;
}

/**
 * Reads a run commit's execution record: execution/history.json (checked against its schema: a
 * damaged one is a DATA_ERROR naming the run's ref and the field), history.ts, notebook.ts and
 * execution/environment.json. Only reads.
 *
 * @example
 * ```ts
 * const ex = await readRunExecution(ws, "20261204-160602-a1b2c3");
 * ex.history_ts; // "// dw run 20261204-160602-a1b2c3: the code the kernel executed …"
 * ```
 */
export async function readRunExecution(ws: Workspace, runId: string, field = "run_id"): Promise<RunExecution> {
  const { oid, run } = await readRun(ws, runId, field);
  const ref = runRef(runId);
  const history = await ws.readDocument(HistoryDocument, oid, "execution/history.json", ref);
  const environment = await ws.readDocument(StoredEnvironment, oid, "execution/environment.json", ref);
  const text = (path: string) => ws.readText(oid, path, { maxBytes: RUN_SCRIPT_MAX_BYTES });
  const source = run.origin.notebook_source ?? history?.notebook_source ?? (run.origin.notebook_path !== undefined ? "disk" : null);
  return {
    run_id: runId,
    oid,
    created_at: run.created_at,
    cell_id: run.origin.cell_id ?? null,
    notebook_path: run.origin.notebook_path ?? null,
    notebook_source: source,
    history,
    history_ts: await text("execution/history.ts"),
    notebook_ts: await text("notebook.ts"),
    findings: history?.findings ?? [],
    environment,
  };
}
