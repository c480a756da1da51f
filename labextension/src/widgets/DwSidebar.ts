import { Clipboard } from "@jupyterlab/apputils";
import { refreshIcon } from "@jupyterlab/ui-components";
import { Widget } from "@lumino/widgets";
import type { EndpointState, ModelState, RegistryState } from "../../../src/comm/protocol.js";
import type { DwConnection, IDwClient } from "../tokens.js";
import { dwIcon } from "../icons.js";
import { curlExample } from "./curlExample.js";
import { copyButton, formatMetric, h } from "./dom.js";

const copy = (text: string): void => Clipboard.copyToSystem(text);

/**
 * The dw sidebar: registered models with their versions, aliases and metrics, and the live
 * endpoints with a copyable curl. It redraws from `client` whenever the kernel pushes state.
 */
export class DwSidebar extends Widget {
  private readonly client: IDwClient;
  private readonly body: HTMLElement;

  constructor(client: IDwClient) {
    super();
    this.client = client;
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
    this.node.append(header, this.body);

    client.changed.connect(this.render, this);
    this.render();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.client.changed.disconnect(this.render, this);
    super.dispose();
  }

  private render(): void {
    const { connection, state } = this.client;
    this.node.dataset.connection = connection.kind;
    this.body.replaceChildren(...renderBody(connection, state, this.client.curlExamples));
  }
}

function renderBody(connection: DwConnection, state: RegistryState | null, curls: ReadonlyMap<string, string>): Node[] {
  switch (connection.kind) {
    case "no-notebook":
    case "other-kernel":
      return [
        notice(
          connection.kind === "no-notebook"
            ? "No notebook is active."
            : connection.kernelDisplayName
              ? `This notebook's kernel is ${connection.kernelDisplayName}.`
              : "This notebook has no kernel yet.",
          "Open a notebook with the TypeScript (dw) kernel",
        ),
      ];
    case "failed":
      return [notice("No connection to the dw kernel.", connection.message, "dw-mod-error")];
    case "connecting":
      if (!state) return [notice("Connecting to the dw kernel…", "The first start of a kernel can take a while.")];
  }
  if (!state) return [notice("Waiting for the kernel's state…", "")];
  return [renderServer(state), renderEndpoints(state.endpoints, curls), renderModels(state.models)];
}

function notice(headline: string, detail: string, modifier = ""): HTMLElement {
  return h(
    "div",
    { className: `dw-Sidebar-notice ${modifier}`.trim() },
    h("p", { className: "dw-Sidebar-noticeHeadline", text: headline }),
    detail ? h("p", { text: detail }) : null,
  );
}

function renderServer(state: RegistryState): HTMLElement {
  const server = state.server;
  return h(
    "section",
    { className: "dw-Sidebar-section dw-Sidebar-server" },
    h("div", { className: "dw-Sidebar-meta", title: state.workspace, text: `workspace ${state.workspace}` }),
    h(
      "div",
      { className: "dw-Sidebar-meta" },
      statusDot(server?.live ?? false),
      server ? `dw serve ${server.url} (${server.live ? "live" : "not answering"})` : "dw serve not started",
    ),
  );
}

function statusDot(live: boolean): HTMLElement {
  return h("span", {
    className: `dw-StatusDot ${live ? "dw-mod-live" : "dw-mod-down"}`,
    title: live ? "live" : "not live",
  });
}

function renderEndpoints(endpoints: EndpointState[], curls: ReadonlyMap<string, string>): HTMLElement {
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
    const key = `${ep.model}@${ep.alias}`;
    const curl = ep.curl ?? curls.get(key) ?? curlExample(ep.invocations_url);
    section.append(
      h(
        "div",
        { className: "dw-Endpoint", attrs: { "data-endpoint": key } },
        h(
          "div",
          { className: "dw-Endpoint-title" },
          statusDot(ep.live),
          h("span", { className: "dw-Endpoint-name", text: key }),
          h("span", { className: "dw-Endpoint-arrow", text: "→" }),
          h("span", { className: "dw-Endpoint-version", text: `v${ep.version}` }),
          h("span", { className: "dw-Endpoint-live", text: ep.live ? "live" : "down" }),
        ),
        h(
          "div",
          { className: "dw-Endpoint-urlRow" },
          h("code", { className: "dw-Endpoint-url", text: ep.invocations_url, title: ep.invocations_url }),
          copyButton(ep.invocations_url, "Copy URL", copy),
        ),
        h("pre", { className: "dw-Endpoint-curl", text: curl }),
        h("div", { className: "dw-Actions" }, copyButton(curl, "Copy curl", copy)),
      ),
    );
  }
  return section;
}

function renderModels(models: ModelState[]): HTMLElement {
  const section = h("section", { className: "dw-Sidebar-section dw-Models" }, h("h3", { text: "Models" }));
  if (models.length === 0) {
    section.append(h("p", { className: "dw-Sidebar-empty", text: "No registered model yet." }));
    return section;
  }
  for (const model of models) {
    const aliases = Object.entries(model.aliases).map(([alias, version]) => h("span", { className: "dw-Alias", text: `@${alias} → v${version}` }));
    const rows = [...model.versions]
      .sort((a, b) => b.version - a.version)
      .map((v) =>
        h(
          "tr",
          { attrs: { "data-version": String(v.version) } },
          h("td", { className: "dw-Version-number", text: `v${v.version}` }),
          h(
            "td",
            {},
            h("div", { className: "dw-Version-algorithm", text: v.algorithm ?? "" }),
            h("div", { className: "dw-Version-run", title: `run ${v.run_id}, ${v.created_at}`, text: v.run_id }),
            v.aliases.length > 0 ? h("div", { className: "dw-Version-aliases", text: v.aliases.map((a) => `@${a}`).join(" ") }) : null,
          ),
          h(
            "td",
            { className: "dw-Version-metrics" },
            ...Object.entries(v.metrics ?? {}).map(([name, value]) => h("div", { title: String(value), text: `${name} ${formatMetric(value)}` })),
          ),
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
