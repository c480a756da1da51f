import { z } from "zod";

/**
 * What the kernel executed before a run was made: the contract between the kernel, which records
 * it (kernel/history.ts), and the run commit, which stores it (execution/history.json, rendered as
 * execution/history.ts). Imports nothing but zod.
 */

/** One dw tool call a cell made, in the order made. */
export const DwCall = z.object({
  tool: z.string().describe("the tool's wire name, e.g. train_model"),
  /** 1-based line of the cell for a `%dw` line (the magic router knows it); absent for `dw.x(...)` calls and cell magics. */
  line: z.number().int().positive().optional(),
  /** The input the tool was called with after the line was parsed and kernel variables resolved; absent when over 16 KB as JSON. */
  input: z.record(z.string(), z.unknown()).optional(),
  /** `--as NAME`: the variable the line declared. */
  as: z.string().optional(),
  ok: z.boolean(),
  /**
   * True for the call in progress when the record was taken: in a run commit, the call the run came
   * from (it succeeded, or there would be no run). Its `ok` is true and it has no result_id yet.
   */
  pending: z.boolean().optional(),
  /** What the call made or named, for a reader to follow: a run id, `model/version`, a dataset id, an endpoint. */
  result_id: z.string().optional(),
  /** The error code when ok is false. */
  error_code: z.string().optional(),
});
export type DwCall = z.infer<typeof DwCall>;

/** One execute_request the kernel ran (silent ones and store_history: false are not kept). */
export const ExecutedCell = z.object({
  execution_count: z.number().int().nonnegative(),
  /** nbformat 4.5 cell id, from execute_request's metadata (JupyterLab and nbclient send it). */
  cell_id: z.string().optional(),
  /** The code as the user wrote it (magic lines included), exactly as received. */
  code: z.string(),
  started_at: z.string().describe("ISO 8601"),
  /** Absent while the cell runs (the cell that made the run is still running when the commit is written). */
  duration_ms: z.number().nonnegative().optional(),
  status: z.enum(["ok", "error", "aborted", "running"]),
  dw_calls: z.array(DwCall),
});
export type ExecutedCell = z.infer<typeof ExecutedCell>;

/** The kernel's history as a run commit stores it (execution/history.json's `execution`). */
export const ExecutionRecord = z.object({
  kernel_started_at: z.string(),
  /** In execution order, up to and including the cell that made the run (status "running"). */
  cells: z.array(ExecutedCell),
  /** How many cells were executed before the oldest one kept (the kernel keeps a bounded history). */
  dropped: z.number().int().nonnegative(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecord>;

/** Where the notebook stored in a run commit came from. */
export const NotebookSource = z.enum(["browser", "disk"]);
export type NotebookSource = z.infer<typeof NotebookSource>;
