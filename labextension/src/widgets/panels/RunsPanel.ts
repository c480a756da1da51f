import { CommandIds } from "../../commandIds.js";
import { compareSelection, runRowsView, type RunRowView } from "../runsView.js";
import { compareView, type CompareView } from "../compareView.js";
import { copyButton, h } from "../dom.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";
import { comparisonDom } from "./RunsComparison.js";
import { toolErrorDom } from "./toolErrorDom.js";

let panels = 0;

interface Row {
  key: string;
  node: HTMLElement;
  checkbox: HTMLInputElement;
}

/**
 * The Runs panel: the newest runs (list_runs, through the state) with their headline metric, data,
 * gate badge and registered versions; "Open cell" goes to the notebook cell that made a run
 * (dw:open-run-cell), the run commit is copyable. Ticking two or more runs and clicking Compare
 * calls compare_experiments and shows metrics, the parameters that differ, and the data and code
 * diffs. Rows are redrawn only when their run changes, so the ticks, the focus and the comparison
 * survive the sidebar's polling.
 */
export class RunsPanel implements SidebarPanel {
  readonly id = "runs";
  readonly label: string;
  readonly node: HTMLElement;
  private readonly list: HTMLElement;
  private readonly compare: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly result: HTMLElement;
  private readonly rows = new Map<string, Row>();
  private order: string[] = [];
  /** Run ids ticked, in the order they were ticked. */
  private selected: string[] = [];
  private comparing = false;
  private readonly domId: string;

  constructor(private readonly ctx: PanelContext) {
    const { trans } = ctx;
    panels += 1;
    this.domId = `dw-runs-${panels}`;
    this.label = trans.__("Runs");
    this.list = h("div", { className: "dw-Runs-list" });
    this.compare = h("button", {
      className: "jp-Button jp-mod-styled jp-mod-accept dw-Runs-compare",
      text: trans.__("Compare"),
      attrs: { type: "button" },
    });
    this.compare.addEventListener("click", () => void this.runCompare());
    this.status = h("div", { className: "dw-Runs-status", attrs: { role: "status", "aria-live": "polite" } });
    this.result = h("div", { className: "dw-Compare" });
    this.node = h("div", { className: "dw-Runs" }, this.list, h("div", { className: "dw-Runs-controls" }, this.compare, this.status), this.result);
  }

  update(): void {
    const runs = this.ctx.client.runs;
    if (runs === null) {
      this.setRows([], this.ctx.trans.__("The kernel has not listed runs yet (list_runs)."));
      return;
    }
    this.setRows(runRowsView(runs), this.ctx.trans.__("No run yet. Train a model in a cell, e.g. %dw train_model --data <dataset> --target <column>."));
  }

  dispose(): void {
    this.node.replaceChildren();
    this.rows.clear();
  }

  private setRows(views: RunRowView[], empty: string): void {
    const ids = views.map((v) => v.runId);
    let changed = ids.length !== this.order.length || ids.some((id, i) => id !== this.order[i]);
    const seen = new Set(ids);
    for (const id of [...this.rows.keys()]) if (!seen.has(id)) this.rows.delete(id);
    for (const view of views) {
      const old = this.rows.get(view.runId);
      if (old && old.key === view.key) continue;
      const row = this.renderRow(view);
      if (old) old.node.replaceWith(row.node);
      this.rows.set(view.runId, row);
      changed ||= !old;
    }
    if (changed) {
      this.list.replaceChildren(...(views.length ? views.map((v) => this.rows.get(v.runId)!.node) : [h("p", { className: "dw-Sidebar-empty", text: empty })]));
      this.order = ids;
    }
    this.selected = compareSelection(
      this.selected,
      views.map((v) => ({ run_id: v.runId })),
    ).runIds;
    this.syncControls();
  }

  private syncControls(): void {
    const { trans } = this.ctx;
    const sel = compareSelection(
      this.selected,
      this.order.map((run_id) => ({ run_id })),
    );
    this.compare.disabled = !sel.canCompare || this.comparing;
    this.compare.textContent = sel.canCompare ? trans.__("Compare %1 runs", sel.runIds.length) : trans.__("Compare");
    this.compare.title = trans.__(sel.label);
    for (const [id, row] of this.rows) row.checkbox.checked = this.selected.includes(id);
    this.compare.hidden = this.order.length < 2;
  }

  private renderRow(view: RunRowView): Row {
    const { trans, copy } = this.ctx;
    const boxId = `${this.domId}-${view.runId}`;
    const checkbox = h("input", {
      className: "dw-Run-select",
      attrs: { type: "checkbox", id: boxId, "aria-label": trans.__("Select run %1 to compare", view.runId) },
    });
    checkbox.checked = this.selected.includes(view.runId);
    checkbox.addEventListener("change", () => {
      this.selected = checkbox.checked ? [...this.selected.filter((id) => id !== view.runId), view.runId] : this.selected.filter((id) => id !== view.runId);
      this.syncControls();
    });
    const open = h("button", {
      className: "jp-Button jp-mod-minimal dw-Run-openCell",
      text: trans.__("Open cell"),
      attrs: { type: "button", "aria-label": trans.__("Open the notebook cell that made run %1", view.runId) },
    });
    if ("reason" in view.openCell) {
      open.disabled = true;
      open.title = trans.__(view.openCell.reason);
    } else {
      const args = view.openCell;
      open.title = trans.__("%1, cell %2", args.notebook_path, args.cell_id);
      open.addEventListener("click", () => void this.ctx.execute(CommandIds.openRunCell, { ...args }));
    }
    const node = h(
      "div",
      { className: "dw-Run", attrs: { "data-run": view.runId, "data-gate": view.gate.status } },
      h(
        "div",
        { className: "dw-Run-head" },
        checkbox,
        h("label", { className: "dw-Run-title", text: view.title, attrs: { for: boxId } }),
        h("span", { className: `dw-Badge dw-GateBadge dw-mod-${view.gate.status}`, text: trans.__(view.gate.text), title: view.gate.title }),
      ),
      h(
        "div",
        { className: "dw-Run-meta" },
        h("span", { className: "dw-Run-metric", text: view.metric.text, title: view.metric.title }),
        h("span", { className: "dw-Run-when", text: view.when, title: view.runId }),
      ),
      h("div", { className: "dw-Run-data", text: view.data.text, title: view.data.title }),
      view.registered ? h("div", { className: "dw-Run-registered", text: trans.__("registered as %1", view.registered) }) : null,
      view.error ? h("div", { className: "dw-Run-error", text: view.error }) : null,
      h(
        "div",
        { className: "dw-Run-actions" },
        h("code", { className: "dw-Run-commit", text: view.commit.slice(0, 10), title: trans.__("Run commit %1 (git show %1)", view.commit) }),
        copyButton(view.commit, trans.__("Copy commit"), copy),
        open,
      ),
    );
    return { key: view.key, node, checkbox };
  }

  private async runCompare(): Promise<void> {
    const { client, trans } = this.ctx;
    const runIds = compareSelection(
      this.selected,
      this.order.map((run_id) => ({ run_id })),
    ).runIds;
    if (runIds.length < 2 || this.comparing) return;
    this.comparing = true;
    this.syncControls();
    this.status.textContent = trans.__("Comparing %1…", runIds.join(", "));
    try {
      const outcome = await client.callTool({ tool: "compare_experiments", input: { run_ids: runIds } });
      if (!outcome.ok) {
        this.result.replaceChildren(toolErrorDom(trans.__("Compare"), outcome.error, trans));
        this.status.textContent = trans.__("The comparison failed.");
        return;
      }
      const read = compareView(outcome.output);
      if (!read.ok) {
        this.result.replaceChildren(h("div", { className: "dw-ToolError", attrs: { role: "alert" }, text: read.message }));
        this.status.textContent = trans.__("The comparison failed.");
        return;
      }
      this.result.replaceChildren(this.renderComparison(read.view));
      this.status.textContent = trans.__("Compared %1 runs.", runIds.length);
    } catch (error) {
      this.result.replaceChildren(
        h("div", { className: "dw-ToolError", attrs: { role: "alert" }, text: error instanceof Error ? error.message : String(error) }),
      );
      this.status.textContent = trans.__("The comparison failed.");
    } finally {
      this.comparing = false;
      this.syncControls();
    }
  }

  private renderComparison(view: CompareView): HTMLElement {
    const { trans } = this.ctx;
    return comparisonDom(view, trans, {
      label: trans.__("Comparison of runs"),
      close: () => {
        this.result.replaceChildren();
        this.status.textContent = "";
        this.compare.focus();
      },
    });
  }
}
