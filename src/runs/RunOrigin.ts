import type { ExecutionRecord, NotebookSource } from "../execution/ExecutionRecord.js";

/** Where a call that writes a run came from; the run commit records it (run.json's origin, cell.ts, notebook.ipynb). */
export interface RunOrigin {
  /** Source of the notebook cell that made the call. */
  cell?: string;
  /** The notebook cell's id (nbformat 4.5; JupyterLab and nbclient send it with each execution), so the run can lead back to its cell. */
  cell_id?: string;
  /** The notebook as the kernel saw it: its path relative to the workspace and its JSON text. */
  notebook?: {
    path: string;
    content: string;
    /** "browser": the JupyterLab model the extension sent (unsaved edits included); "disk": the file as saved. Absent means disk. */
    source?: NotebookSource;
    /** When `content` came from the browser: the file as saved on disk then, so the run can say whether edits were unsaved. */
    saved?: string;
  };
  /** What the kernel executed since it started, up to this call (kernel only). */
  execution?: ExecutionRecord;
  /** The adapter that made the call: "kernel" or "cli"; run.json says "api" when none is given (a program calling runTool itself). */
  via?: string;
}
