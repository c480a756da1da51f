import { h, copyButton } from "../dom.js";
import { sidebarView, type EndpointView } from "../sidebarView.js";
import { renderMonitoring, renderRetrain, retrainButton } from "../monitoringDom.js";
import { EndpointTryIt } from "../EndpointTryIt.js";
import { CommandIds } from "../../commandIds.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";
import { statusDot } from "./statusDot.js";

/** An endpoint's card: the part redrawn when what it shows changes, and its Try it form, kept as the user left it. */
interface EndpointCard {
  node: HTMLElement;
  summary: HTMLElement;
  tryIt: EndpointTryIt;
  /** What `summary` shows, to redraw it only when that changes. */
  shown: string;
}

/**
 * The Endpoints panel: each deployed alias with its status, version, URL, traffic (requests,
 * errors, p50/p99), drift badge, curl, a Retrain button (which runs the retrain command) and a
 * Try it form built from the served version's inputs. Cards are kept by `model@alias`: the
 * summary is redrawn only when what it shows changes, and the Try it form is never redrawn away,
 * so a value being typed, an open form and the keyboard focus survive the sidebar's polling.
 */
export class EndpointsPanel implements SidebarPanel {
  readonly id = "endpoints";
  readonly label: string;
  readonly node = h("div", { className: "dw-Endpoints" });
  private readonly empty = h("p", { className: "dw-Sidebar-empty" });
  private readonly cards = new Map<string, EndpointCard>();

  constructor(private readonly ctx: PanelContext) {
    this.label = ctx.trans.__("Endpoints");
    this.empty.textContent = ctx.trans.__("No endpoint yet. Select a cell that ran %%dw train_model and click Productionize.");
  }

  update(): void {
    const { client } = this.ctx;
    const view = sidebarView(client.connection, client.state, client.curlExamples, client.monitoring, client.retrains);
    const endpoints = view.kind === "state" ? view.endpoints : [];
    const keep = new Set(endpoints.map((ep) => ep.key));
    for (const [key, card] of this.cards) {
      if (keep.has(key)) continue;
      card.node.remove();
      this.cards.delete(key);
    }
    const order: HTMLElement[] = [];
    for (const ep of endpoints) {
      const card = this.cards.get(ep.key) ?? this.createCard(ep);
      const shown = JSON.stringify(ep);
      if (card.shown !== shown) {
        card.shown = shown;
        card.node.dataset.monitoring = ep.monitoring?.state ?? "unknown";
        card.summary.replaceChildren(...this.renderSummary(ep));
      }
      card.tryIt.setVersion(Number(ep.version.replace(/^v/, "")));
      order.push(card.node);
    }
    if (view.kind === "state" && endpoints.length === 0) order.push(this.empty);
    const current = [...this.node.children];
    if (current.length !== order.length || current.some((node, i) => node !== order[i])) this.node.replaceChildren(...order);
  }

  dispose(): void {
    this.cards.clear();
    this.node.replaceChildren();
  }

  private createCard(ep: EndpointView): EndpointCard {
    const summary = h("div", { className: "dw-Endpoint-summary" });
    const tryIt = new EndpointTryIt(this.ctx.client, this.ctx.trans, ep.key);
    const node = h("div", { className: "dw-Endpoint", attrs: { "data-endpoint": ep.key } }, summary, tryIt.node);
    const card: EndpointCard = { node, summary, tryIt, shown: "" };
    this.cards.set(ep.key, card);
    return card;
  }

  private renderSummary(ep: EndpointView): HTMLElement[] {
    const { trans, copy } = this.ctx;
    return [
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
      ...(ep.monitoring ? [renderMonitoring(ep.monitoring)] : []),
      h("pre", { className: "dw-Endpoint-curl", text: ep.curl }),
      h(
        "div",
        { className: "dw-Actions" },
        retrainButton(ep, () => void this.ctx.execute(CommandIds.retrain, { model_id: ep.key })),
        copyButton(ep.curl, trans.__("Copy curl"), copy),
      ),
      ...(ep.retrain ? [renderRetrain(ep.retrain, copy)] : []),
    ];
  }
}
