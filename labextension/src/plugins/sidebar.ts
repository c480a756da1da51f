import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { Clipboard, ICommandPalette } from "@jupyterlab/apputils";
import { ISettingRegistry } from "@jupyterlab/settingregistry";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { refreshIcon } from "@jupyterlab/ui-components";
import { CommandIds } from "../commandIds.js";
import { dwIcon } from "../icons.js";
import { IDwClient } from "../tokens.js";
import { DwSidebar } from "../widgets/DwSidebar.js";
import { EndpointsPanel } from "../widgets/panels/EndpointsPanel.js";
import { ModelsPanel } from "../widgets/panels/ModelsPanel.js";
import { NextStepsPanel } from "../widgets/panels/NextStepsPanel.js";
import { RunsPanel } from "../widgets/panels/RunsPanel.js";
import { GatesPanel } from "../widgets/panels/GatesPanel.js";
import { PANEL_IDS, type PanelFactory, type PanelId } from "../widgets/panels/SidebarPanel.js";
import { TeamPanel } from "../widgets/panels/TeamPanel.js";
import { ToolsPanel } from "../widgets/panels/ToolsPanel.js";

export const SIDEBAR_PLUGIN_ID = "dw-labextension:sidebar";

/** The panels, in the order they show (the `panels` setting hides some). */
const PANELS: readonly PanelFactory[] = [
  (ctx) => new NextStepsPanel(ctx),
  (ctx) => new RunsPanel(ctx),
  (ctx) => new ModelsPanel(ctx),
  (ctx) => new EndpointsPanel(ctx),
  (ctx) => new GatesPanel(ctx),
  (ctx) => new ToolsPanel(ctx),
  (ctx) => new TeamPanel(ctx),
];

/** The dw sidebar in the right area, with the commands that open and refresh it, and its settings. */
export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: SIDEBAR_PLUGIN_ID,
  description:
    "The dw sidebar: next steps, runs, models, endpoints with drift monitoring and Retrain, gates, every tool as a form, and the team registry's Push and Pull.",
  autoStart: true,
  requires: [IDwClient],
  optional: [ICommandPalette, ISettingRegistry, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    client: IDwClient,
    palette: ICommandPalette | null,
    settings: ISettingRegistry | null,
    translator: ITranslator | null,
  ): void => {
    const trans = (translator ?? nullTranslator).load("dw");
    // Panels act through app commands (retrain, push, productionize, open a run's cell): the widgets never touch app.
    const sidebar = new DwSidebar(
      { client, trans, execute: (command, args) => app.commands.execute(command, args), copy: (text) => Clipboard.copyToSystem(text) },
      PANELS,
    );
    sidebar.title.label = "dw";
    app.shell.add(sidebar, "right", { rank: 650 });

    app.commands.addCommand(CommandIds.openSidebar, {
      label: trans.__("Open the dw Sidebar"),
      icon: dwIcon,
      execute: () => app.shell.activateById(sidebar.id),
    });
    app.commands.addCommand(CommandIds.refresh, {
      label: trans.__("Refresh the dw Sidebar"),
      icon: refreshIcon,
      execute: () => client.refresh(),
    });
    app.commands.addCommand(CommandIds.showPanel, {
      label: (args) => trans.__("Show the dw %1 panel", String(args.panel ?? "")),
      describedBy: { args: { type: "object", properties: { panel: { type: "string", enum: [...PANEL_IDS] } } } },
      execute: (args) => {
        app.shell.activateById(sidebar.id);
        sidebar.revealPanel(String(args.panel) as PanelId);
      },
    });
    for (const command of [CommandIds.openSidebar, CommandIds.refresh]) {
      palette?.addItem({ command, category: "dw" });
    }

    if (settings) {
      void settings.load(SIDEBAR_PLUGIN_ID).then((loaded) => {
        const apply = () => {
          const panels = loaded.get("panels").composite as PanelId[] | undefined;
          sidebar.setVisiblePanels(Array.isArray(panels) ? panels : null);
          const port = loaded.get("serverPort").composite;
          client.setServePort(typeof port === "number" ? port : 0);
        };
        apply();
        loaded.changed.connect(apply);
      });
    }
  },
};
