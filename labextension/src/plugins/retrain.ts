import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { Notification } from "@jupyterlab/apputils";
import { INotebookTracker } from "@jupyterlab/notebook";
import { CommandIds } from "../commandIds.js";
import { IDwClient } from "../tokens.js";
import type { RetrainRequest } from "../tokens.js";

/**
 * The Retrain command: retrain_model on a deployment (`model_id`, `model@alias`) through the
 * kernel comm, then compare the new run with the version serving. The sidebar's Retrain button
 * runs it, and shows the progress and the result under the endpoint; a notification says when it
 * ends.
 */
export const retrainPlugin: JupyterFrontEndPlugin<void> = {
  id: "dw-labextension:retrain",
  description: "Retrain a deployed model (same spec, newest data, with the gates) and compare the new run with the version serving.",
  autoStart: true,
  requires: [IDwClient],
  optional: [INotebookTracker],
  activate: (app: JupyterFrontEnd, client: IDwClient, tracker: INotebookTracker | null): void => {
    app.commands.addCommand(CommandIds.retrain, {
      label: (args) => (typeof args.model_id === "string" ? `Retrain ${args.model_id}` : "Retrain a Deployed Model"),
      caption: "Train the deployment's model again on the newest data, with the gates, and compare it with the version serving",
      isEnabled: (args) => typeof args.model_id !== "string" || client.retrains.get(args.model_id)?.state !== "running",
      execute: async (args) => {
        const modelId = typeof args.model_id === "string" ? args.model_id : "";
        if (!modelId) {
          Notification.warning("Retrain needs an endpoint: click Retrain on one in the dw sidebar.", { autoClose: 5000 });
          return;
        }
        const request: RetrainRequest = { model_id: modelId };
        if (args.and_then === "compare" || args.and_then === "ab_test" || args.and_then === "none") request.and_then = args.and_then;
        const panel = tracker?.currentWidget;
        if (panel) request.notebook = { path: panel.context.path, content: JSON.stringify(panel.content.model?.toJSON() ?? {}) };
        try {
          const outcome = await client.retrain(request);
          if (outcome.ok) {
            const c = outcome.result.comparison;
            Notification.success(`Retrained ${modelId}: run ${outcome.result.run_id}${c ? `. ${c.summary}` : ""}`, { autoClose: 8000 });
          } else {
            Notification.error(`Retrain of ${modelId} failed: ${outcome.error.message}`, { autoClose: 8000 });
          }
        } catch (error) {
          Notification.error(`Retrain of ${modelId} failed: ${error instanceof Error ? error.message : String(error)}`, { autoClose: 8000 });
        }
      },
    });
  },
};
