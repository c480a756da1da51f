import { Clipboard } from "@jupyterlab/apputils";
import { refreshIcon } from "@jupyterlab/ui-components";
import type { Message } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import type { IDwClient, ShareRequest } from "../tokens.js";
import { dwIcon } from "../icons.js";
import { copyButton, h } from "./dom.js";
import { sidebarView, type EndpointView, type ModelView, type ServerView, type SidebarView, type TrainingView } from "./sidebarView.js";
import { renderMonitoring, renderRetrain, retrainButton } from "./monitoringDom.js";
import { Poller } from "./Poller.js";
import { ShareSection } from "./ShareSection.js";

const copy = (text: string): void => Clipboard.copyToSystem(text);

/** While the sidebar is visible, the state (traffic, trainings) is asked for this often. */
const POLL_MS = 3_000;

/**
 * The dw sidebar: registered models with their versions, aliases and metrics, the live endpoints
 * with a copyable curl and their traffic, and the trainings running. It redraws from `client`
 * whenever the kernel pushes state, and asks for the state every few seconds while it is visible
 * (so the traffic and a training's progress stay current), never while hidden; what it shows is
 * decided in sidebarView.ts, and this file only builds the DOM. Each endpoint shows its drift badge
 * and a Retrain button, which calls `onRetrain` with the endpoint's `model@alias` (the plugin runs
 * the retrain command), and the progress and result of a retraining started here. The Team
 * registry section (ShareSection) pushes and pulls refs/dw/* through `onShare` (the plugin runs the
 * push or pull command).
 */
export class DwSidebar extends Widget {
  private readonly client: IDwClient;
  private readonly body: HTMLElement;
  private readonly poller: Poller;
  private readonly onRetrain: (endpoint: string) => void;
  private readonly share: ShareSection;

  constructor(client: IDwClient, onRetrain: (endpoint: string) => void = () => undefined, onShare: (request: ShareRequest) => void = () => undefined) {
    super();
    this.client = client;
    this.onRetrain = onRetrain;
    this.id = "dw-sidebar";
    this.addClass("dw-Sidebar");
    this.title.icon = dwIcon;
    this.title.caption = "dw: models and endpoints";

    const refresh = h("button", {
      className: "jp-Button jp-mod-minimal dw-Sidebar-refresh",
      title: "Ask the kernel for the registry's state again",
      attrs: { type: "button", "aria-label": "Refresh" },
    });
    refreshIcon.element({ container: refresh, tag: "span", elementSize: "normal" });
    refresh.addEventListener("click", () => client.refresh());

    const header = h(
      "div",
      { className: "dw-Sidebar-header" },
      h("h2", { className: "dw-Sidebar-title", text: "dw" }),
      h("span", { className: "dw-Sidebar-subtitle", text: "models and endpoints" }),
      refresh,
    );
    this.body = h("div", { className: "dw-Sidebar-body" });
    this.share = new ShareSection(onShare);
    this.node.append(header, this.body, this.share.node);

    // Only a connected comm is asked: refresh() on any other connection would re-open it.
    this.poller = new Poller(
      () => {
        if (this.client.connection.kind === "connected") this.client.refresh();
        else this.poller.answered();
      },
      POLL_MS,
      () => document.hidden,
    );
    client.changed.connect(this.render, this);
    this.render();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.poller.stop();
    this.client.changed.disconnect(this.render, this);
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

  private render(): void {
    this.poller.answered();
    const { connection, state } = this.client;
    this.node.dataset.connection = connection.kind;
    const view = sidebarView(connection, state, this.client.curlExamples, this.client.monitoring, this.client.retrains);
    this.body.replaceChildren(...renderBody(view, this.onRetrain));
    this.share.node.hidden = view.kind === "notice";
    this.share.update(connection.kind === "connected", this.client.sharing);
  }
}

function renderBody(view: SidebarView, onRetrain: (endpoint: string) => void): Node[] {
  if (view.kind === "notice") return [notice(view.headline, view.detail, view.error ? "dw-mod-error" : "")];
  return [
    renderServer(view.workspace, view.server),
    renderEndpoints(view.endpoints, onRetrain),
    ...(view.trainings.length ? [renderTrainings(view.trainings)] : []),
    renderModels(view.models),
  ];
}

function notice(headline: string, detail: string, modifier = ""): HTMLElement {
  return h(
    "div",
    { className: `dw-Sidebar-notice ${modifier}`.trim() },
    h("p", { className: "dw-Sidebar-noticeHeadline", text: headline }),
    detail ? h("p", { text: detail }) : null,
  );
}

function renderServer(workspace: string, server: ServerView): HTMLElement {
  return h(
    "section",
    { className: "dw-Sidebar-section dw-Sidebar-server" },
    h("div", { className: "dw-Sidebar-meta", title: workspace, text: `workspace ${workspace}` }),
    h("div", { className: "dw-Sidebar-meta" }, statusDot(server.live), server.text),
  );
}

function statusDot(live: boolean): HTMLElement {
  return h("span", {
    className: `dw-StatusDot ${live ? "dw-mod-live" : "dw-mod-down"}`,
    title: live ? "live" : "not live",
  });
}

function renderEndpoints(endpoints: EndpointView[], onRetrain: (endpoint: string) => void): HTMLElement {
  const section = h("section", { className: "dw-Sidebar-section dw-Endpoints" }, h("h3", { text: "Endpoints" }));
  if (endpoints.length === 0) {
    section.append(
      h("p", {
        className: "dw-Sidebar-empty",
        text: "No endpoint yet. Select a cell that ran %dw train_model and click Productionize.",
      }),
    );
    return section;
  }
  for (const ep of endpoints) {
    section.append(
      h(
        "div",
        { className: "dw-Endpoint", attrs: { "data-endpoint": ep.key, "data-monitoring": ep.monitoring?.state ?? "unknown" } },
        h(
          "div",
          { className: "dw-Endpoint-title" },
          statusDot(ep.live),
          h("span", { className: "dw-Endpoint-name", text: ep.key }),
          h("span", { className: "dw-Endpoint-arrow", text: "→" }),
          h("span", { className: "dw-Endpoint-version", text: ep.version }),
          h("span", { className: "dw-Endpoint-live", text: ep.live ? "live" : "down" }),
        ),
        h(
          "div",
          { className: "dw-Endpoint-urlRow" },
          h("code", { className: "dw-Endpoint-url", text: ep.url, title: ep.url }),
          copyButton(ep.url, "Copy URL", copy),
        ),
        ...ep.traffic.map((t) => h("div", { className: "dw-Endpoint-traffic", title: t.title, text: t.text })),
        ep.monitoring ? renderMonitoring(ep.monitoring) : null,
        h("pre", { className: "dw-Endpoint-curl", text: ep.curl }),
        h(
          "div",
          { className: "dw-Actions" },
          retrainButton(ep, () => onRetrain(ep.key)),
          copyButton(ep.curl, "Copy curl", copy),
        ),
        ep.retrain ? renderRetrain(ep.retrain, copy) : null,
      ),
    );
  }
  return section;
}

function renderTrainings(trainings: TrainingView[]): HTMLElement {
  return h(
    "section",
    { className: "dw-Sidebar-section dw-Trainings" },
    h("h3", { text: "Training" }),
    ...trainings.map((t) =>
      h(
        "div",
        { className: "dw-Training", attrs: { "data-training": t.key } },
        h("div", { className: "dw-Training-title", text: t.title }),
        h("div", { className: "dw-Training-detail", text: t.detail }),
      ),
    ),
  );
}

function renderModels(models: ModelView[]): HTMLElement {
  const section = h("section", { className: "dw-Sidebar-section dw-Models" }, h("h3", { text: "Models" }));
  if (models.length === 0) {
    section.append(h("p", { className: "dw-Sidebar-empty", text: "No registered model yet." }));
    return section;
  }
  for (const model of models) {
    const aliases = model.aliases.map((alias) => h("span", { className: "dw-Alias", text: alias }));
    const rows = model.versions.map((v) =>
      h(
        "tr",
        { attrs: { "data-version": String(v.version) } },
        h("td", { className: "dw-Version-number", text: `v${v.version}` }),
        h(
          "td",
          {},
          h("div", { className: "dw-Version-algorithm", text: v.algorithm }),
          h("div", { className: "dw-Version-run", title: v.runTitle, text: v.runId }),
          v.aliases ? h("div", { className: "dw-Version-aliases", text: v.aliases }) : null,
        ),
        h("td", { className: "dw-Version-metrics" }, ...v.metrics.map((m) => h("div", { title: m.title, text: m.text }))),
      ),
    );
    section.append(
      h(
        "div",
        { className: "dw-Model", attrs: { "data-model": model.name } },
        h("div", { className: "dw-Model-title" }, h("span", { className: "dw-Model-name", text: model.name }), ...aliases),
        h("table", { className: "dw-Versions" }, h("tbody", {}, ...rows)),
      ),
    );
  }
  return section;
}
