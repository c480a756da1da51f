import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { INotebookTracker } from "@jupyterlab/notebook";
import { DwClient } from "../comm/DwClient.js";
import { IDwClient } from "../tokens.js";

/** Provides the comm client that follows the current notebook's dw kernel. */
export const clientPlugin: JupyterFrontEndPlugin<IDwClient> = {
  id: "dw-labextension:client",
  description: "The dw comm client of the current notebook's kernel.",
  autoStart: true,
  requires: [INotebookTracker],
  provides: IDwClient,
  activate: (_app: JupyterFrontEnd, tracker: INotebookTracker): IDwClient => new DwClient(tracker),
};
