import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { Dialog, ICommandPalette, Notification, showDialog } from "@jupyterlab/apputils";
import { INotebookTracker } from "@jupyterlab/notebook";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { ISettingRegistry } from "@jupyterlab/settingregistry";
import { CommandIds } from "../commandIds.js";
import { findRunId } from "../findRunId.js";
import type { OutputLike } from "../findRunId.js";
import { dwIcon } from "../icons.js";
import { IDwClient } from "../tokens.js";
import type { ProductionizeOutcome, ProductionizeRequest } from "../tokens.js";
import { ProductionizeErrorBody, ProductionizeResultBody } from "../widgets/ProductionizeResultBody.js";

const PLUGIN_ID = "dw-labextension:productionize";

interface ProductionizeSettings {
  /** Empty: the kernel names the model. */
  modelName: string;
  alias: string;
}

const DEFAULTS: ProductionizeSettings = { modelName: "", alias: "production" };

/**
 * The Productionize command. Its toolbar button is declared in this plugin's settings schema
 * (`jupyter.lab.toolbars`), so users can move or hide it from the settings editor.
 */
export const productionizePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: "The Productionize toolbar button: the selected cell's training run to a live endpoint.",
  autoStart: true,
  requires: [IDwClient, INotebookTracker],
  optional: [ISettingRegistry, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    client: IDwClient,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
  ): void => {
    let settings: ProductionizeSettings = { ...DEFAULTS };
    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then((loaded) => {
          const read = (): void => {
            settings = {
              modelName: String(loaded.get("modelName").composite ?? DEFAULTS.modelName).trim(),
              alias: String(loaded.get("alias").composite ?? DEFAULTS.alias).trim() || DEFAULTS.alias,
            };
          };
          read();
          loaded.changed.connect(read);
        })
        .catch((reason: unknown) => console.warn(`dw: could not load the settings of ${PLUGIN_ID}`, reason));
    }

    let busy = false;
    app.commands.addCommand(CommandIds.productionize, {
      label: "Productionize",
      caption: "Register the selected cell's training run and serve it behind an alias",
      icon: dwIcon,
      isEnabled: () => !busy,
      execute: async () => {
        const panel = tracker.currentWidget;
        if (!panel) {
          await showProblem("No notebook", "Open a notebook with the TypeScript (dw) kernel, run a training cell, and select it.");
          return;
        }
        const runId = selectedRunId(panel);
        if (!runId) {
          await showProblem(
            "No training run in this cell",
            "The selected cell did not produce a training run: run a cell with %dw train_model … and select it.",
          );
          return;
        }
        const request: ProductionizeRequest = {
          run_id: runId,
          alias: settings.alias,
          notebook: { path: panel.context.path, content: JSON.stringify(panel.content.model?.toJSON() ?? {}) },
        };
        if (settings.modelName) request.model_name = settings.modelName;

        busy = true;
        app.commands.notifyCommandChanged(CommandIds.productionize);
        const note = Notification.emit(`Productionizing run ${runId}…`, "in-progress", { autoClose: false });
        let outcome: ProductionizeOutcome;
        try {
          outcome = await client.productionize(request);
        } catch (error) {
          outcome = {
            ok: false,
            error: { code: "NOT_CONNECTED", message: error instanceof Error ? error.message : String(error) },
          };
        } finally {
          Notification.dismiss(note);
          busy = false;
          app.commands.notifyCommandChanged(CommandIds.productionize);
        }
        if (outcome.ok) {
          await app.commands.execute(CommandIds.openSidebar);
          await showDialog({
            title: `${outcome.result.model_name}@${outcome.result.alias} is live`,
            body: new ProductionizeResultBody(outcome.result),
            buttons: [Dialog.okButton({ label: "Done" })],
          });
        } else {
          await showDialog({
            title: "Productionize failed",
            body: new ProductionizeErrorBody(outcome.error),
            buttons: [Dialog.okButton({ label: "Close" })],
          });
        }
      },
    });
    palette?.addItem({ command: CommandIds.productionize, category: "dw" });
  },
};

/** The run id in the outputs of the notebook's active cell, if that cell trained a model. */
function selectedRunId(panel: NotebookPanel): string | null {
  const cell = panel.content.activeCell;
  if (!cell) return null;
  const json = cell.model.toJSON();
  if (json.cell_type !== "code") return null;
  const outputs = (json as { outputs?: unknown }).outputs;
  return Array.isArray(outputs) ? findRunId(outputs as OutputLike[]) : null;
}

async function showProblem(title: string, message: string): Promise<void> {
  await showDialog({ title, body: message, buttons: [Dialog.okButton({ label: "OK" })] });
}
