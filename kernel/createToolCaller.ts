import { relative } from "node:path";
import { createToolContext, getTool, runTool, type RunOrigin, type ToolContext, type ToolResult } from "../src/index.js";
import type { ResultRegistry } from "./display.js";
import { findNotebookPath, readNotebook } from "./notebookOrigin.js";
import type { HeldSnapshot } from "./browserNotebook.js";
import { dwCallOf, pendingCallOf, type CallSite } from "./dwCallOf.js";
import type { DwCall, ExecutionRecord } from "../src/execution/ExecutionRecord.js";
import type { History } from "./history.js";
import { namesNotebookFile } from "./namesNotebookFile.js";
import type { StepProgress } from "../src/workspace/StepProgress.js";

/**
 * Whether a successful call of the tool may change what the sidebar shows: read from the tool's
 * own `annotations.effect`, so a tool that writes the workspace or serves a model refreshes the
 * sidebar and one that only reads does not, with no list of names kept here.
 */
export function changesState(tool: string): boolean {
  const effect = getTool(tool)?.annotations.effect;
  return effect === "writes" || effect === "serves";
}

export interface ToolCaller {
  /**
   * Runs a tool from the kernel. The run records the executing cell, the kernel's execution
   * history and the notebook: the one `notebook` gives (the Productionize button's), else the
   * browser's latest snapshot of it, else the file on disk. A call from the executing cell is
   * added to that cell's history. Outputs are remembered for display.
   */
  call(
    name: string,
    input: unknown,
    options?: {
      notebook?: { path: string; content: string };
      /** The cell's source, when the call is not the executing cell's (the sidebar passes ""); the executing cell's id is then not recorded. */
      cell?: string;
      /** Where the call's progress goes instead of the executing cell (the sidebar's Retrain shows it in the sidebar). */
      progress?(p: { message: string; step?: StepProgress }): void;
      /** The `%dw` line that made the call and its `--as` name, for the history. */
      site?: CallSite;
    },
  ): Promise<ToolResult>;
  /** A context for reads that are not tool calls (the sidebar's state). */
  context(): Promise<ToolContext>;
}

export interface ToolCallerDeps {
  /** The kernel's working directory: the notebook's folder when Jupyter started it. */
  cwd(): string;
  /** Source of the cell being executed, if any. */
  currentCell(): string | undefined;
  /** The notebook cell id of the cell being executed, when the client sent one (execute_request's metadata.cellId). */
  currentCellId?(): string | undefined;
  env: NodeJS.ProcessEnv;
  /** Aborted when the user interrupts the cell; tools may watch ctx.signal. */
  signal?(): AbortSignal | undefined;
  results: ResultRegistry;
  /** Shows a long call's progress in the executing cell: one line per call (`callId`), replaced as it changes. */
  progress?(message: string, callId: string, first: boolean): void;
  /** Called after a successful call of a tool that writes or serves (see changesState). */
  onStateChange(ctx: ToolContext): void;
  /** What the kernel executed: every call's origin carries a snapshot, and a cell's calls are added to it. */
  history?: History;
  /** The newest notebook the browser sent for this kernel's notebook, if any. */
  browserNotebook?(): HeldSnapshot | undefined;
}

export function createToolCaller(deps: ToolCallerDeps): ToolCaller {
  const context = () => createToolContext({ cwd: deps.cwd(), signal: deps.signal?.() });
  return {
    context,
    async call(name, input, options = {}) {
      let made: ToolContext | undefined;
      const fromCell = options.cell === undefined;
      // Taken now: a call the cell does not await may end after the next cell has started.
      const cellRun = fromCell ? deps.history?.running() : undefined;
      // The context is made inside runTool, so a workspace that cannot be opened (a .git that is
      // not a repository, a read-only folder) is an error result in the cell, not a kernel fault.
      const result = await runTool(name, input, async () => {
        const ctx = await context();
        const origin: RunOrigin = { via: "kernel" };
        const cell = options.cell ?? deps.currentCell();
        if (cell !== undefined) origin.cell = cell;
        const cellId = fromCell ? deps.currentCellId?.() : undefined;
        if (cellId !== undefined) origin.cell_id = cellId;
        const notebook = await notebookOf(deps.env, ctx, options.notebook, deps.browserNotebook?.());
        if (notebook) origin.notebook = notebook;
        if (deps.history)
          origin.execution = withPendingCall(deps.history.snapshot(), cellRun === undefined ? undefined : pendingCallOf(name, input, options.site));
        ctx.origin = origin;
        if (options.progress) {
          const progress = options.progress;
          ctx.progress = (p) => progress(p.step ? { message: p.message, step: p.step } : { message: p.message });
        } else if (deps.progress) {
          const callId = `dw-progress-${Date.now()}-${Math.random().toString(36).slice(2)}`;
          let first = true;
          ctx.progress = (p) => {
            deps.progress!(p.message, callId, first);
            first = false;
          };
        }
        made = ctx;
        return ctx;
      });
      cellRun?.addCall(dwCallOf(result, input, options.site));
      if (result.ok) {
        deps.results.remember(result.tool, result.output);
        if (changesState(result.tool) && made) deps.onStateChange(made);
      }
      return result;
    },
  };
}

/** The record with the call being made added to the running cell's calls (a copy; the history keeps only finished calls). */
function withPendingCall(record: ExecutionRecord, call: DwCall | undefined): ExecutionRecord {
  const last = record.cells.at(-1);
  if (call === undefined || last === undefined || last.status !== "running") return record;
  return { ...record, cells: [...record.cells.slice(0, -1), { ...last, dw_calls: [...last.dw_calls, call] }] };
}

/**
 * The notebook a run records. The frontend's own (Productionize, Retrain) or the browser's latest
 * snapshot is what the user sees, unsaved edits included, and is stored with the file as saved
 * then (`saved`), so the run can tell; without either (nbclient, the CLI, an older extension) the
 * file on disk. Paths are the workspace's, as run.json gives them.
 */
async function notebookOf(
  env: NodeJS.ProcessEnv,
  ctx: ToolContext,
  given: { path: string; content: string } | undefined,
  held: HeldSnapshot | undefined,
): Promise<RunOrigin["notebook"]> {
  const file = await findNotebookPath(env, ctx.cwd);
  const saved = file === undefined ? undefined : await readNotebook(file);
  const withSaved = saved === undefined ? {} : { saved };
  if (given) {
    if (file !== undefined && namesNotebookFile(file, given.path))
      return { path: workspacePath(ctx, file), content: given.content, source: "browser", ...withSaved };
    return { ...given, source: "browser" };
  }
  if (file === undefined) return undefined;
  if (held && held.file === file) return { path: workspacePath(ctx, file), content: held.content, source: "browser", ...withSaved };
  if (saved === undefined) return undefined;
  return { path: workspacePath(ctx, file), content: saved, source: "disk" };
}

function workspacePath(ctx: ToolContext, file: string): string {
  const rel = relative(ctx.workspace.root, file);
  return rel && !rel.startsWith("..") ? rel : file;
}
