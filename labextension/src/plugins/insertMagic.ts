import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { INotebookTracker, NotebookActions } from "@jupyterlab/notebook";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { CommandIds } from "../commandIds.js";

/**
 * The dw:insert-magic command: a new code cell below the active cell of the current notebook,
 * holding `source` (the Tools panel's "Insert as %dw line"). The notebook comes to the front with
 * the new cell active, so the user reads the line and runs it. Fails with a message that says
 * what to do when no notebook is open.
 */
export const insertMagicPlugin: JupyterFrontEndPlugin<void> = {
  id: "dw-labextension:insert-magic",
  description: "Insert a %dw line (from the dw sidebar's Tools panel) into a new cell below the active cell.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, translator: ITranslator | null): void => {
    const trans = (translator ?? nullTranslator).load("dw");
    app.commands.addCommand(CommandIds.insertMagic, {
      label: trans.__("Insert a %dw Line Below the Active Cell"),
      describedBy: { args: { type: "object", properties: { source: { type: "string" } }, required: ["source"] } },
      isEnabled: () => tracker.currentWidget !== null,
      execute: (args) => {
        const source = typeof args.source === "string" ? args.source : "";
        if (source.trim() === "") throw new Error(trans.__("Nothing to insert: the command needs the cell's source in 'source'."));
        const panel = tracker.currentWidget;
        if (!panel) throw new Error(trans.__("Open a notebook first: the %dw line goes into a new cell below its active cell."));
        const notebook = panel.content;
        NotebookActions.insertBelow(notebook);
        if (notebook.activeCell?.model.type !== "code") NotebookActions.changeCellType(notebook, "code");
        const cell = notebook.activeCell;
        if (!cell) throw new Error(trans.__("The notebook %1 has no active cell to insert below.", panel.context.path));
        cell.model.sharedModel.setSource(source);
        app.shell.activateById(panel.id);
        return { notebook: panel.context.path, cell_id: cell.model.id };
      },
    });
  },
};
