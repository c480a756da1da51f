import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { Clipboard, Dialog, ICommandPalette, showDialog } from "@jupyterlab/apputils";
import { INotebookTracker } from "@jupyterlab/notebook";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { ISettingRegistry } from "@jupyterlab/settingregistry";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import type { TranslationBundle } from "@jupyterlab/translation";
import { CommandIds } from "../commandIds.js";
import { findRunId } from "../findRunId.js";
import type { OutputLike } from "../findRunId.js";
import { dwIcon } from "../icons.js";
import { IDwClient } from "../tokens.js";
import type { ProductionizeRequest } from "../tokens.js";
import { ProductionizeSteps } from "../widgets/ProductionizeSteps.js";

const PLUGIN_ID = "dw-labextension:productionize";

interface ProductionizeSettings {
  /** Empty: the kernel names the model. */
  modelName: string;
  alias: string;
}

const DEFAULTS: ProductionizeSettings = { modelName: "", alias: "production" };

/**
 * The Productionize command: from the palette, the notebook toolbar, a cell's context menu
 * ("Productionize this cell") and its keyboard shortcut, all declared in this plugin's settings
 * schema (`jupyter.lab.toolbars`, `jupyter.lab.menus`, `jupyter.lab.shortcuts`), so users can move,
 * hide or rebind them from the settings editor. It takes the selected cell's run, or `run_id` (and
 * `model_name`) from its args when the sidebar's Next steps asks, and shows each step live in a dialog.
 */
export const productionizePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: "Productionize: the selected cell's training run to a live endpoint, each step shown as it happens.",
  autoStart: true,
  requires: [IDwClient, INotebookTracker],
  optional: [ISettingRegistry, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: IDwClient,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
  ): void => {
    const trans = (translator ?? nullTranslator).load("dw");
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
      label: (args) => (args.origin === "cell-menu" ? trans.__("Productionize this cell") : trans.__("Productionize")),
      caption: trans.__("Register the selected cell's training run and serve it behind an alias, showing each step and gate"),
      icon: dwIcon,
      describedBy: {
        args: {
          type: "object",
          properties: {
            run_id: { type: "string", description: "The run to productionize; without it, the selected cell's." },
            model_name: { type: "string", description: "The model to register it under; without it, the setting, else the kernel's choice." },
            alias: { type: "string", description: "The alias to serve it as; without it, the setting." },
            origin: { type: "string", description: "cell-menu when run from a cell's context menu (its label then says so)." },
          },
        },
      },
      isEnabled: () => !busy,
      execute: async (args) => {
        const panel = tracker.currentWidget;
        const runId = typeof args.run_id === "string" && args.run_id ? args.run_id : panel ? selectedRunId(panel) : null;
        if (!runId) {
          await showProblem(
            trans,
            panel ? trans.__("No training run in this cell") : trans.__("No notebook"),
            panel
              ? trans.__("The selected cell did not produce a training run: run a cell with %dw train_model … and select it.")
              : trans.__("Open a notebook with the TypeScript (dw) kernel, run a training cell, and select it."),
          );
          return;
        }
        const request: ProductionizeRequest = {
          run_id: runId,
          alias: typeof args.alias === "string" && args.alias ? args.alias : settings.alias,
        };
        const modelName = typeof args.model_name === "string" && args.model_name ? args.model_name : settings.modelName;
        if (modelName) request.model_name = modelName;
        if (panel) request.notebook = { path: panel.context.path, content: JSON.stringify(panel.content.model?.toJSON() ?? {}) };

        busy = true;
        app.commands.notifyCommandChanged(CommandIds.productionize);
        const body = new ProductionizeSteps({
          trans,
          request,
          productionize: (r, onStep) => client.productionize(r, onStep),
          callTool: (r) => client.callTool(r),
          copy: (text) => Clipboard.copyToSystem(text),
          onLive: () => void app.commands.execute(CommandIds.openSidebar),
        });
        const dialog = new Dialog({
          title: trans.__("Productionize run %1", runId),
          body,
          buttons: [Dialog.okButton({ label: trans.__("Close") })],
          hasClose: true,
        });
        dialog.addClass("dw-ProductionizeDialog");
        const shown = dialog.launch();
        try {
          // The steps go on in the kernel if the dialog is closed early; their end shows in the sidebar.
          await body.start();
        } finally {
          busy = false;
          app.commands.notifyCommandChanged(CommandIds.productionize);
        }
        await shown;
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

async function showProblem(trans: TranslationBundle, title: string, message: string): Promise<void> {
  await showDialog({ title, body: message, buttons: [Dialog.okButton({ label: trans.__("OK") })] });
}
