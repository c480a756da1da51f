import { refreshIcon } from "@jupyterlab/ui-components";
import type { Message } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import { dwIcon } from "../icons.js";
import { h } from "./dom.js";
import { sidebarView, type TrainingView } from "./sidebarView.js";
import { Poller } from "./Poller.js";
import type { PanelContext, PanelFactory, PanelId, SidebarPanel } from "./panels/SidebarPanel.js";
import { statusDot } from "./panels/statusDot.js";

/** While the sidebar is visible, the state (traffic, trainings, runs, next steps) is asked for this often. */
const DEFAULT_POLL_MS = 3_000;

let sidebars = 0;

/**
 * The dw sidebar: a header (the workspace, whether dw serve answers, the trainings running, a
 * refresh button), then one collapsible panel per part of the lifecycle (Next steps, Runs, Models,
 * Endpoints, Gates, Tools, Team registry; the `panels` setting picks which show). It asks the
 * kernel for the state every few seconds while it is visible and connected (so what runs in any
 * notebook of the workspace shows up), never while hidden, and has every panel redraw whenever the
 * client changes. While there is no dw kernel to talk to, a notice says why instead of the panels.
 */
export class DwSidebar extends Widget {
  private readonly ctx: PanelContext;
  private readonly status: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly trainings: HTMLElement;
  private readonly panelsNode: HTMLElement;
  private readonly poller: Poller;
  private readonly panels: SidebarPanel[];
  private readonly sections = new Map<PanelId, HTMLElement>();
  private readonly collapsed = new Set<PanelId>();
  private visible: ReadonlySet<PanelId> | null = null;

  constructor(ctx: PanelContext, factories: readonly PanelFactory[], options: { pollMs?: number } = {}) {
    super();
    this.ctx = ctx;
    const { trans } = ctx;
    sidebars += 1;
    this.id = "dw-sidebar";
    this.addClass("dw-Sidebar");
    this.title.icon = dwIcon;
    this.title.caption = trans.__("dw: next steps, runs, models, endpoints, gates and tools");

    const refresh = h("button", {
      className: "jp-Button jp-mod-minimal dw-Sidebar-refresh",
      title: trans.__("Ask the kernel for the workspace's state again"),
      attrs: { type: "button", "aria-label": trans.__("Refresh") },
    });
    refreshIcon.element({ container: refresh, tag: "span", elementSize: "normal" });
    refresh.addEventListener("click", () => ctx.client.refresh());

    const header = h(
      "div",
      { className: "dw-Sidebar-header" },
      h("h2", { className: "dw-Sidebar-title", text: "dw" }),
      h("span", { className: "dw-Sidebar-subtitle", text: trans.__("from notebook to production") }),
      refresh,
    );
    this.status = h("div", { className: "dw-Sidebar-section dw-Sidebar-server" });
    this.notice = h("div", { className: "dw-Sidebar-notice", attrs: { role: "status", "aria-live": "polite" } });
    this.trainings = h("section", { className: "dw-Sidebar-section dw-Trainings", attrs: { "aria-live": "polite" } });
    this.panelsNode = h("div", { className: "dw-Sidebar-panels" });
    this.panels = factories.map((make) => make(ctx));
    for (const [index, panel] of this.panels.entries()) this.panelsNode.append(this.section(panel, `dw-panel-${sidebars}-${index}`));
    this.node.append(header, this.notice, this.status, this.trainings, this.panelsNode);

    // Only a connected comm is asked: refresh() on any other connection would re-open it.
    this.poller = new Poller(
      () => {
        if (ctx.client.connection.kind === "connected") ctx.client.refresh();
        else this.poller.answered();
      },
      options.pollMs ?? DEFAULT_POLL_MS,
      () => document.hidden,
    );
    ctx.client.changed.connect(this.render, this);
    this.render();
  }

  /** Shows only these panels (the `panels` setting); null shows all. */
  setVisiblePanels(visible: readonly PanelId[] | null): void {
    this.visible = visible ? new Set(visible) : null;
    for (const [id, section] of this.sections) section.hidden = this.visible !== null && !this.visible.has(id);
  }

  /** Expands a panel, scrolls it into view and focuses its heading (the Next steps' "show report" and the palette use it). */
  revealPanel(id: PanelId): void {
    const section = this.sections.get(id);
    if (!section) return;
    if (this.collapsed.has(id)) section.querySelector<HTMLButtonElement>(".dw-Panel-toggle")?.click();
    section.scrollIntoView({ block: "nearest" });
    section.querySelector<HTMLButtonElement>(".dw-Panel-toggle")?.focus();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.poller.stop();
    this.ctx.client.changed.disconnect(this.render, this);
    for (const panel of this.panels) panel.dispose();
    super.dispose();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.poller.start();
  }

  protected override onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.poller.stop();
  }

  protected override onBeforeDetach(msg: Message): void {
    this.poller.stop();
    super.onBeforeDetach(msg);
  }

  /** A panel under a heading whose button collapses and expands it (aria-expanded, aria-controls). */
  private section(panel: SidebarPanel, domId: string): HTMLElement {
    const toggle = h("button", {
      className: "dw-Panel-toggle",
      text: panel.label,
      attrs: { type: "button", "aria-expanded": "true", "aria-controls": `${domId}-body`, id: `${domId}-heading` },
    });
    const body = h("div", { className: "dw-Panel-body", attrs: { id: `${domId}-body`, role: "region", "aria-labelledby": `${domId}-heading` } }, panel.node);
    const section = h(
      "section",
      { className: `dw-Sidebar-section dw-Panel dw-Panel-${panel.id}`, attrs: { "data-panel": panel.id } },
      h("h3", { className: "dw-Panel-heading" }, toggle),
      body,
    );
    toggle.addEventListener("click", () => {
      const collapse = !this.collapsed.has(panel.id);
      if (collapse) this.collapsed.add(panel.id);
      else this.collapsed.delete(panel.id);
      toggle.setAttribute("aria-expanded", String(!collapse));
      body.hidden = collapse;
      section.classList.toggle("dw-mod-collapsed", collapse);
    });
    this.sections.set(panel.id, section);
    return section;
  }

  private render(): void {
    this.poller.answered();
    const { client, trans } = this.ctx;
    const { connection, state } = client;
    this.node.dataset.connection = connection.kind;
    const view = sidebarView(connection, state, client.curlExamples, client.monitoring, client.retrains);
    const showing = view.kind === "state";
    this.notice.hidden = showing;
    this.status.hidden = !showing;
    this.panelsNode.hidden = !showing;
    if (view.kind === "notice") {
      this.notice.className = `dw-Sidebar-notice ${view.error ? "dw-mod-error" : ""}`.trim();
      this.notice.replaceChildren(
        h("p", { className: "dw-Sidebar-noticeHeadline", text: trans.__(view.headline) }),
        view.detail ? h("p", { text: trans.__(view.detail) }) : "",
      );
      this.trainings.replaceChildren();
      this.trainings.hidden = true;
      return;
    }
    this.status.replaceChildren(
      h("div", { className: "dw-Sidebar-meta", title: view.workspace, text: trans.__("workspace %1", view.workspace) }),
      h("div", { className: "dw-Sidebar-meta" }, statusDot(view.server.live, trans), view.server.text),
    );
    this.renderTrainings(view.trainings);
    for (const panel of this.panels) panel.update();
  }

  private renderTrainings(trainings: TrainingView[]): void {
    this.trainings.hidden = trainings.length === 0;
    this.trainings.replaceChildren(
      ...(trainings.length
        ? [
            h("h3", { text: this.ctx.trans.__("Training now") }),
            ...trainings.map((t) =>
              h(
                "div",
                { className: "dw-Training", attrs: { "data-training": t.key } },
                h("div", { className: "dw-Training-title", text: t.title }),
                h("div", { className: "dw-Training-detail", text: t.detail }),
              ),
            ),
          ]
        : []),
    );
  }
}
