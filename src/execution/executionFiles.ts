import { isDwError } from "../errors/DwError.js";
import { documentText } from "../workspace/documentText.js";
import type { ExecutionRecord, NotebookSource } from "./ExecutionRecord.js";
import type { HistoryDocument } from "./HistoryDocument.js";
import { analyseExecution } from "./analyseExecution.js";
import { environmentRecord } from "./environmentRecord.js";
import { notebookScript } from "./notebookScript.js";
import { parseNotebook, type NotebookCells } from "./parseNotebook.js";
import { renderHistoryScript } from "./renderHistoryScript.js";
import { stripNotebook } from "./stripNotebook.js";

/** What the caller knows of where a run came from (RunOrigin's fields this part reads). */
export interface ExecutionOrigin {
  notebook?: { path: string; content: string; source?: NotebookSource; saved?: string };
  execution?: ExecutionRecord;
}

/** The files a run commit gains from its origin, and what run.json and the commit message say about them. */
export interface ExecutionFiles {
  files: Record<string, string>;
  notebook_source: NotebookSource | null;
  history: boolean;
  /** Why the notebook was kept as given, or which outputs were cut: for the commit message. */
  notes: string[];
}

/**
 * The run commit's record of how the run came about: execution/environment.json always;
 * execution/history.json and execution/history.ts when the kernel sent its history; notebook.ts and
 * notebook.ipynb (stripped, see stripNotebook) when a notebook is known. A notebook that cannot be
 * parsed is stored as given, without notebook.ts, and noted: the run never fails because of it.
 *
 * @example
 * ```ts
 * const { files, notes } = await executionFiles(runId, ctx.origin ?? {});
 * ```
 */
export async function executionFiles(runId: string, origin: ExecutionOrigin): Promise<ExecutionFiles> {
  const files: Record<string, string> = { "execution/environment.json": documentText(await environmentRecord()) };
  const notes: string[] = [];
  const nb = origin.notebook;
  const source: NotebookSource | null = nb ? (nb.source ?? "disk") : null;
  let cells: NotebookCells | undefined;
  let saved: NotebookCells | undefined;
  if (nb) {
    try {
      cells = parseNotebook(nb.content, `the notebook ${nb.path}`).cells;
      const stripped = stripNotebook(nb.content);
      files["notebook.ipynb"] = stripped.text;
      files["notebook.ts"] = notebookScript(nb.content, nb.path);
      if (stripped.removed.length) notes.push(`notebook: ${stripped.removed.length} output(s) over the size limits replaced by placeholders`);
    } catch (e) {
      if (!isDwError(e)) throw e;
      files["notebook.ipynb"] = nb.content;
      notes.push(`notebook kept as given, without notebook.ts: ${e.message}`);
    }
    if (nb.saved !== undefined && source === "browser") {
      try {
        saved = parseNotebook(nb.saved, `the saved file ${nb.path}`).cells;
      } catch (e) {
        if (!isDwError(e)) throw e;
        notes.push(`unsaved edits not compared: ${e.message}`);
      }
    }
  }
  if (origin.execution) {
    const findings = analyseExecution(origin.execution, cells, saved);
    const doc: HistoryDocument = { execution: origin.execution, findings, notebook_source: source };
    files["execution/history.json"] = documentText(doc);
    files["execution/history.ts"] = renderHistoryScript(origin.execution, findings, { run_id: runId, notebook_path: nb?.path, notebook_source: source });
  }
  return { files, notebook_source: source, history: origin.execution !== undefined, notes };
}
