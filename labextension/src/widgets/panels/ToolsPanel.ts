import { Widget } from "@lumino/widgets";
import type { ErrorPayload } from "../../../../src/comm/protocol.js";
import { CommandIds } from "../../commandIds.js";
import { h } from "../dom.js";
import { ToolForm } from "../ToolForm.js";
import { toolCatalog } from "../toolCatalog.js";
import { filterTools, formInput, magicSource, outputSummary, type SummaryLine, type ToolEntry } from "../toolsView.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";

/** Progress lines kept on screen for one call; older ones scroll away. */
const MAX_PROGRESS_LINES = 40;

let panels = 0;

/**
 * The Tools panel: every dw tool, found with a search box, as a form generated from its input's
 * JSON Schema (ToolForm). Run calls the tool in the kernel through the comm (progress lines while
 * it runs, then a summary and the JSON, or the error with its hint); "Insert as %dw line" puts the
 * equivalent `%dw` line in a new cell below the active one (the dw:insert-magic command). What the
 * user typed and picked stays across the sidebar's redraws: update() only enables or disables Run.
 */
export class ToolsPanel implements SidebarPanel {
  readonly id = "tools";
  readonly label: string;
  readonly node = h("div", { className: "dw-Tools" });
  private readonly search: HTMLInputElement;
  private readonly list = h("ul", { className: "dw-Tools-list" });
  private readonly items = new Map<string, { li: HTMLLIElement; button: HTMLButtonElement; entry: ToolEntry }>();
  private readonly detail = h("section", { className: "dw-Tools-detail", attrs: { hidden: "" } });
  private readonly empty: HTMLElement;
  private selected: { entry: ToolEntry; form: ToolForm; run: HTMLButtonElement; status: HTMLElement; result: HTMLElement } | null = null;
  /** Bumped when another tool is picked, so a call's answer never lands under another tool's form. */
  private generation = 0;
  private running = false;

  constructor(private readonly ctx: PanelContext) {
    const { trans } = ctx;
    this.label = trans.__("Tools");
    panels += 1;
    const searchId = `dw-tools-search-${panels}`;
    this.search = h("input", {
      className: "jp-mod-styled dw-Tools-search",
      attrs: { id: searchId, type: "search", placeholder: trans.__("e.g. train, drift, deploy"), autocomplete: "off" },
    });
    this.search.addEventListener("input", () => this.filter());
    this.empty = h("p", { className: "dw-Sidebar-empty", text: trans.__("No tool matches. Try another word."), attrs: { hidden: "" } });
    for (const entry of toolCatalog()) {
      const button = h(
        "button",
        { className: "dw-Tools-item", attrs: { type: "button", "aria-pressed": "false", "data-tool": entry.name } },
        h("span", { className: "dw-Tools-itemTitle", text: entry.title }),
        h("code", { className: "dw-Tools-itemName", text: entry.name }),
        h("span", { className: "dw-Tools-itemSummary", text: entry.summary }),
      );
      button.addEventListener("click", () => this.select(entry));
      const li = h("li", {}, button);
      this.items.set(entry.name, { li, button, entry });
      this.list.append(li);
    }
    this.node.append(
      h("label", { className: "dw-Tools-searchLabel", text: trans.__("Find a tool"), attrs: { for: searchId } }),
      this.search,
      this.list,
      this.empty,
      this.detail,
    );
  }

  update(): void {
    if (!this.selected) return;
    const connected = this.ctx.client.connection.kind === "connected";
    this.selected.run.disabled = !connected || this.running;
    this.selected.run.title = connected ? "" : this.ctx.trans.__("Open a notebook with the dw kernel to run tools");
  }

  dispose(): void {
    this.selected?.form.dispose();
    this.selected = null;
    this.node.replaceChildren();
  }

  private filter(): void {
    const shown = new Set(
      filterTools(
        [...this.items.values()].map((i) => i.entry),
        this.search.value,
      ).map((e) => e.name),
    );
    for (const [name, { li }] of this.items) li.hidden = !shown.has(name);
    this.empty.hidden = shown.size > 0;
  }

  private select(entry: ToolEntry): void {
    if (this.selected?.entry.name === entry.name) return;
    const { trans } = this.ctx;
    this.generation += 1;
    this.running = false;
    this.selected?.form.dispose();
    for (const { button, entry: e } of this.items.values()) button.setAttribute("aria-pressed", String(e.name === entry.name));

    const run = h("button", { className: "jp-Button jp-mod-accept dw-Tools-run", text: trans.__("Run"), attrs: { type: "button" } });
    const insert = h("button", {
      className: "jp-Button jp-mod-reject dw-Tools-insert",
      text: trans.__("Insert as %dw line"),
      attrs: { type: "button", "aria-label": trans.__("Insert the %dw line of this call into a new cell below the active cell") },
    });
    const status = h("div", { className: "dw-Tools-status", attrs: { role: "status", "aria-live": "polite" } });
    const result = h("div", { className: "dw-Tools-result" });
    const formHost = h("div", { className: "dw-Tools-formHost" });
    const form = new ToolForm(entry.formSchema, trans);
    this.selected = { entry, form, run, status, result };
    run.addEventListener("click", () => void this.run());
    insert.addEventListener("click", () => void this.insert());

    const note = entry.kernelOnly.length
      ? h("p", {
          className: "dw-Tools-note",
          text: trans.__("Left out of the form (they take values held in the kernel; give them in a cell): %1", entry.kernelOnly.join(", ")),
        })
      : "";
    this.detail.replaceChildren(
      h("h3", { className: "dw-Tools-title", text: entry.title }),
      h("p", { className: "dw-Tools-description", text: entry.description }),
      note,
      formHost,
      h("div", { className: "dw-Tools-actions" }, run, insert),
      status,
      result,
    );
    this.detail.hidden = false;
    Widget.attach(form, formHost);
    this.update();
  }

  private async run(): Promise<void> {
    const selected = this.selected;
    if (!selected || this.running) return;
    const { trans, client } = this.ctx;
    const generation = this.generation;
    const input = formInput(selected.entry, selected.form.formData);
    const progress = h("ol", { className: "dw-Tools-progress" });
    selected.status.replaceChildren(h("span", { text: trans.__("Running %1…", selected.entry.name) }), progress);
    selected.result.replaceChildren();
    this.running = true;
    this.update();
    const current = () => generation === this.generation;
    try {
      const outcome = await client.callTool({ tool: selected.entry.name, input }, (p) => {
        if (!current()) return;
        progress.append(h("li", { text: p.message }));
        while (progress.childElementCount > MAX_PROGRESS_LINES) progress.firstElementChild?.remove();
      });
      if (!current()) return;
      if (outcome.ok) {
        selected.status.replaceChildren(h("span", { text: trans.__("%1 finished.", selected.entry.name) }), progress);
        selected.result.replaceChildren(this.renderOutput(outcome.output));
      } else {
        selected.status.replaceChildren(h("span", { text: trans.__("%1 failed.", selected.entry.name) }), progress);
        selected.result.replaceChildren(this.renderError(outcome.error));
      }
    } catch (e) {
      if (!current()) return;
      selected.status.replaceChildren();
      selected.result.replaceChildren(this.renderError({ code: "NOT_CONNECTED", message: (e as Error).message }));
    } finally {
      if (current()) {
        this.running = false;
        this.update();
      }
    }
  }

  private async insert(): Promise<void> {
    const selected = this.selected;
    if (!selected) return;
    const source = magicSource(selected.entry, formInput(selected.entry, selected.form.formData));
    try {
      await this.ctx.execute(CommandIds.insertMagic, { source });
      selected.status.replaceChildren(h("span", { text: this.ctx.trans.__("Inserted below the active cell: %1", source) }));
    } catch (e) {
      selected.status.replaceChildren(h("span", { className: "dw-Tools-errorText", text: (e as Error).message }));
    }
  }

  private renderOutput(output: Record<string, unknown>): HTMLElement {
    const { trans } = this.ctx;
    const lines = outputSummary(output);
    return h(
      "div",
      { className: "dw-Tools-output" },
      h("dl", { className: "dw-Tools-summary" }, ...lines.flatMap((line) => [h("dt", { text: line.field }), h("dd", { text: this.summaryText(line) })])),
      h(
        "details",
        { className: "dw-Tools-json" },
        h("summary", { text: trans.__("The whole result (JSON)") }),
        h("pre", { text: JSON.stringify(output, null, 2) }),
      ),
    );
  }

  private summaryText(line: SummaryLine): string {
    const { trans } = this.ctx;
    switch (line.kind) {
      case "text":
        return line.text;
      case "flag":
        return line.value ? trans.__("yes") : trans.__("no");
      case "items":
        return trans._n("%1 item", "%1 items", line.count);
      case "fields":
        return trans._n("%1 field", "%1 fields", line.count);
    }
  }

  private renderError(error: ErrorPayload): HTMLElement {
    const { trans } = this.ctx;
    return h(
      "div",
      { className: "dw-Tools-error", attrs: { role: "alert" } },
      h("p", { className: "dw-Tools-errorText" }, h("code", { text: error.code }), " ", error.message),
      error.hint ? h("p", { className: "dw-Tools-hint", text: trans.__("What to do: %1", error.hint) }) : null,
    );
  }
}
