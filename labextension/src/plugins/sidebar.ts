import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette } from "@jupyterlab/apputils";
import { refreshIcon } from "@jupyterlab/ui-components";
import { CommandIds } from "../commandIds.js";
import { dwIcon } from "../icons.js";
import { IDwClient } from "../tokens.js";
import { DwSidebar } from "../widgets/DwSidebar.js";

/** The dw sidebar in the right area, with the commands that open and refresh it. */
export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: "dw-labextension:sidebar",
  description:
    "The dw sidebar: models, versions, aliases and live endpoints, with each endpoint's drift monitoring and a Retrain button, and the team registry's Push and Pull.",
  autoStart: true,
  requires: [IDwClient],
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, client: IDwClient, palette: ICommandPalette | null): void => {
    // The Retrain button runs the retrain command (plugins/retrain.ts): the widget never touches app.
    const sidebar = new DwSidebar(
      client,
      (endpoint) => void app.commands.execute(CommandIds.retrain, { model_id: endpoint }),
      // Push and Pull run the share commands (plugins/share.ts), which confirm a resolution first.
      ({ action, remote, take }) =>
        void app.commands.execute(action === "push" ? CommandIds.pushRegistry : CommandIds.pullRegistry, { remote, ...(take ? { take } : {}) }),
    );
    sidebar.title.label = "dw";
    app.shell.add(sidebar, "right", { rank: 650 });

    app.commands.addCommand(CommandIds.openSidebar, {
      label: "Open the dw Sidebar",
      icon: dwIcon,
      execute: () => app.shell.activateById(sidebar.id),
    });
    app.commands.addCommand(CommandIds.refresh, {
      label: "Refresh the dw Sidebar",
      icon: refreshIcon,
      execute: () => client.refresh(),
    });
    for (const command of [CommandIds.openSidebar, CommandIds.refresh]) {
      palette?.addItem({ command, category: "dw" });
    }
  },
};
