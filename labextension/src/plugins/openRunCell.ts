import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { Notification } from "@jupyterlab/apputils";
import { INotebookTracker, type NotebookPanel } from "@jupyterlab/notebook";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { CommandIds } from "../commandIds.js";

/**
 * dw:open-run-cell {notebook_path, cell_id, run_id}: opens the notebook that made a run (with the
 * document manager's own open command, so an open notebook is reused), then selects the cell with
 * that id and scrolls it into view. When the notebook or the cell is gone (moved, deleted, the
 * cell removed), a notification says which, and where the run's code still is: its run commit's
 * cell.ts. The Runs panel's "Open cell" runs it.
 */
export const openRunCellPlugin: JupyterFrontEndPlugin<void> = {
  id: "dw-labextension:open-run-cell",
  description: "Open the notebook cell that made a dw run.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, translator: ITranslator | null): void => {
    const trans = (translator ?? nullTranslator).load("dw");
    app.commands.addCommand(CommandIds.openRunCell, {
      label: (args) => (typeof args.run_id === "string" ? trans.__("Open the Cell of Run %1", args.run_id) : trans.__("Open a Run's Cell")),
      caption: trans.__("Open the notebook that made a run and go to its cell"),
      describedBy: {
        args: {
          type: "object",
          properties: { notebook_path: { type: "string" }, cell_id: { type: "string" }, run_id: { type: "string" } },
          required: ["notebook_path", "cell_id"],
        },
      },
      execute: async (args) => {
        const path = typeof args.notebook_path === "string" ? args.notebook_path : "";
        const cellId = typeof args.cell_id === "string" ? args.cell_id : "";
        const runId = typeof args.run_id === "string" ? args.run_id : "";
        const code = runId ? trans.__(" The run's code is kept in its commit: git show refs/dw/runs/%1:cell.ts", runId) : "";
        if (!path || !cellId) {
          Notification.warning(trans.__("Open cell needs a run's notebook_path and cell_id: click Open cell on a run in the dw sidebar."), { autoClose: 6000 });
          return;
        }
        try {
          await app.serviceManager.contents.get(path, { content: false });
        } catch {
          Notification.error(trans.__("The notebook %1 that made this run is gone (moved or deleted).%2", path, code), { autoClose: 10000 });
          return;
        }
        const opened = (await app.commands.execute("docmanager:open", { path })) as unknown;
        const panel = tracker.find((p) => p === opened) ?? tracker.find((p) => p.context.path === path);
        if (!panel) {
          Notification.error(trans.__("%1 did not open as a notebook.%2", path, code), { autoClose: 10000 });
          return;
        }
        await panel.context.ready;
        await panel.revealed;
        if (!(await goToCell(panel, cellId))) {
          Notification.warning(trans.__("The cell that made this run is no longer in %1 (deleted, or the notebook was replaced).%2", path, code), {
            autoClose: 10000,
          });
          return;
        }
        app.shell.activateById(panel.id);
      },
    });
  },
};

/** Selects the cell with this id and scrolls to it; false when the notebook has no such cell. */
async function goToCell(panel: NotebookPanel, cellId: string): Promise<boolean> {
  const notebook = panel.content;
  const index = notebook.widgets.findIndex((cell) => cell.model.id === cellId);
  if (index < 0) return false;
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  await notebook.scrollToCell(notebook.widgets[index], "center");
  notebook.activate();
  return true;
}
