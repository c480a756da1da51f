import type { TranslationBundle } from "@jupyterlab/translation";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";
import type { IDwClient } from "../../tokens.js";

/** The sidebar's panels, in the order they show; the `panels` setting picks which. */
export const PANEL_IDS = ["next-steps", "runs", "models", "endpoints", "gates", "tools", "team"] as const;
export type PanelId = (typeof PANEL_IDS)[number];

/** What a panel may use: the comm client (state, tool calls), the translator, the app's commands, the clipboard. */
export interface PanelContext {
  readonly client: IDwClient;
  /** JupyterLab's translator for the "dw" domain: every user-visible string goes through `trans.__`. */
  readonly trans: TranslationBundle;
  /** Runs an app command (dw:productionize, dw:retrain-model, dw:open-run-cell, …); the panel never touches the app itself. */
  execute(command: string, args?: ReadonlyPartialJSONObject): Promise<unknown>;
  copy(text: string): void;
}

/**
 * One collapsible panel of the dw sidebar (Next steps, Runs, Models, Endpoints, Gates, Tools, Team
 * registry). DwSidebar owns the heading and the collapsing; the panel owns `node`, its body, and
 * redraws it in `update()`, which the sidebar calls whenever the client changes (state pushed,
 * polled, a tool finished) while the kernel is connected. A panel that keeps user input (a form,
 * a selection) updates in place rather than redrawing it away.
 */
export interface SidebarPanel {
  readonly id: PanelId;
  /** The heading, translated. */
  readonly label: string;
  readonly node: HTMLElement;
  update(): void;
  dispose(): void;
}

export type PanelFactory = (ctx: PanelContext) => SidebarPanel;
