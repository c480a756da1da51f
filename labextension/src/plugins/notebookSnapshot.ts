import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { INotebookTracker, NotebookActions } from "@jupyterlab/notebook";
import { NotebookSnapshotSender } from "../comm/NotebookSnapshotSender.js";
import { stripNotebook } from "../comm/stripNotebook.js";
import { DW_KERNEL_NAME } from "../tokens.js";
import { NotebookCellId } from "../../../src/comm/protocol.js";

/**
 * Tells a dw kernel what the browser holds: when a cell of a notebook whose kernel is dw is
 * scheduled, the notebook (unsaved edits included, big images and widget state stripped) goes to
 * the kernel as a `notebook_snapshot`, before the cell's execute_request, so a run the cell makes
 * records the notebook the user sees rather than the file last saved.
 */
export const notebookSnapshotPlugin: JupyterFrontEndPlugin<void> = {
  id: "dw-labextension:notebook-snapshot",
  description: "Sends a dw kernel the notebook as the browser holds it before each cell runs, so runs record unsaved edits.",
  autoStart: true,
  requires: [INotebookTracker],
  activate: (_app: JupyterFrontEnd, tracker: INotebookTracker): void => {
    const sender = new NotebookSnapshotSender();
    // The signal is emitted synchronously just before the cell's request is sent (JupyterLab's runCell).
    NotebookActions.executionScheduled.connect((_, { notebook, cell }) => {
      const panel = tracker.find((p) => p.content === notebook);
      const kernel = panel?.sessionContext.session?.kernel;
      if (!panel || !kernel || kernel.name !== DW_KERNEL_NAME || !notebook.model) return;
      try {
        const content = JSON.stringify(stripNotebook(notebook.model.toJSON() as unknown as Record<string, unknown>));
        // A cell id nbformat does not allow (an old notebook's) is left out rather than losing the snapshot.
        const cellId = NotebookCellId.safeParse(cell.model.id);
        sender.send(kernel, { path: panel.context.localPath, content, ...(cellId.success ? { cell_id: cellId.data } : {}) });
      } catch (error) {
        // A snapshot that cannot be made leaves the run with the saved file; the cell still runs.
        console.warn(`dw: no notebook snapshot of ${panel.context.localPath}: ${String(error)}`);
      }
    });
  },
};
