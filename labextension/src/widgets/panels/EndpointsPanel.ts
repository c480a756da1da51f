import { h, copyButton } from "../dom.js";
import { sidebarView, type EndpointView } from "../sidebarView.js";
import { renderMonitoring, renderRetrain, retrainButton } from "../monitoringDom.js";
import { CommandIds } from "../../commandIds.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";
import { statusDot } from "./statusDot.js";

/**
 * The Endpoints panel: each deployed alias with its status, version, URL, traffic (requests,
 * errors, p50/p99), drift badge, curl and a Retrain button (which runs the retrain command).
 */
export class EndpointsPanel implements SidebarPanel {
  readonly id = "endpoints";
  readonly label: string;
  readonly node = h("div", { className: "dw-Endpoints" });

  constructor(private readonly ctx: PanelContext) {
    this.label = ctx.trans.__("Endpoints");
  }

  update(): void {
    const { client, trans } = this.ctx;
    const view = sidebarView(client.connection, client.state, client.curlExamples, client.monitoring, client.retrains);
    if (view.kind !== "state") return void this.node.replaceChildren();
    if (view.endpoints.length === 0) {
      this.node.replaceChildren(
        h("p", { className: "dw-Sidebar-empty", text: trans.__("No endpoint yet. Select a cell that ran %%dw train_model and click Productionize.") }),
      );
      return;
    }
    this.node.replaceChildren(...view.endpoints.map((ep) => this.renderEndpoint(ep)));
  }

  dispose(): void {
    this.node.replaceChildren();
  }

  private renderEndpoint(ep: EndpointView): HTMLElement {
    const { trans, copy } = this.ctx;
    return h(
      "div",
      { className: "dw-Endpoint", attrs: { "data-endpoint": ep.key, "data-monitoring": ep.monitoring?.state ?? "unknown" } },
      h(
        "div",
        { className: "dw-Endpoint-title" },
        statusDot(ep.live, trans),
        h("span", { className: "dw-Endpoint-name", text: ep.key }),
        h("span", { className: "dw-Endpoint-arrow", text: "→", attrs: { "aria-hidden": "true" } }),
        h("span", { className: "dw-Endpoint-version", text: ep.version }),
        h("span", { className: "dw-Endpoint-live", text: ep.live ? trans.__("live") : trans.__("down") }),
      ),
      h(
        "div",
        { className: "dw-Endpoint-urlRow" },
        h("code", { className: "dw-Endpoint-url", text: ep.url, title: ep.url }),
        copyButton(ep.url, trans.__("Copy URL"), copy),
      ),
      ...ep.traffic.map((t) => h("div", { className: "dw-Endpoint-traffic", title: t.title, text: t.text })),
      ep.monitoring ? renderMonitoring(ep.monitoring) : null,
      h("pre", { className: "dw-Endpoint-curl", text: ep.curl }),
      h(
        "div",
        { className: "dw-Actions" },
        retrainButton(ep, () => void this.ctx.execute(CommandIds.retrain, { model_id: ep.key })),
        copyButton(ep.curl, trans.__("Copy curl"), copy),
      ),
      ep.retrain ? renderRetrain(ep.retrain, copy) : null,
    );
  }
}
