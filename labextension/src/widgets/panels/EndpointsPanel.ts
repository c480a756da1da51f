import { h, copyButton } from "../dom.js";
import { sidebarView, type EndpointView } from "../sidebarView.js";
import { renderMonitoring, renderRetrain, retrainButton } from "../monitoringDom.js";
import { EndpointTryIt } from "../EndpointTryIt.js";
import { CommandIds } from "../../commandIds.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";
import { statusDot } from "./statusDot.js";

/** The parts of an endpoint's card, each redrawn only when what it shows changes (so polling traffic leaves Retrain's focus alone). */
const PARTS = ["title", "url", "traffic", "monitoring", "curl", "actions", "retrain"] as const;
type Part = (typeof PARTS)[number];

/** An endpoint's card: its parts, and its Try it form, kept as the user left it. */
interface EndpointCard {
  node: HTMLElement;
  parts: Record<Part, { node: HTMLElement; shown: string }>;
  tryIt: EndpointTryIt;
}

/**
 * The Endpoints panel: each deployed alias with its status, version, URL, traffic (requests,
 * errors, p50/p99), drift badge, curl, a Retrain button (which runs the retrain command) and a
 * Try it form built from the served version's inputs. Cards are kept by `model@alias`: each part
 * is redrawn only when what it shows changes (new traffic redraws the traffic line, not the
 * buttons), and the Try it form is never redrawn away, so a value being typed, an open form and
 * the keyboard focus survive the sidebar's polling.
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
      card.node.dataset.monitoring = ep.monitoring?.state ?? "unknown";
      for (const part of PARTS) {
        const slot = card.parts[part];
        const shown = JSON.stringify(this.partData(ep, part));
        if (slot.shown === shown) continue;
        slot.shown = shown;
        slot.node.replaceChildren(...this.renderPart(ep, part));
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
    const parts = {} as EndpointCard["parts"];
    for (const part of PARTS) parts[part] = { node: h("div", { className: `dw-Endpoint-part dw-Endpoint-${part}Part` }), shown: "" };
    const tryIt = new EndpointTryIt(this.ctx.client, this.ctx.trans, ep.key);
    const node = h("div", { className: "dw-Endpoint", attrs: { "data-endpoint": ep.key } }, ...PARTS.map((part) => parts[part].node), tryIt.node);
    const card: EndpointCard = { node, parts, tryIt };
    this.cards.set(ep.key, card);
    return card;
  }

  /** What a part shows: it is redrawn when this changes. */
  private partData(ep: EndpointView, part: Part): unknown {
    switch (part) {
      case "title":
        return [ep.key, ep.version, ep.live];
      case "url":
        return ep.url;
      case "traffic":
        return ep.traffic;
      case "monitoring":
        return ep.monitoring;
      case "curl":
        return ep.curl;
      case "actions":
        return [ep.curl, ep.retrain?.state ?? null, ep.monitoring?.state ?? null];
      case "retrain":
        return ep.retrain;
    }
  }

  private renderPart(ep: EndpointView, part: Part): HTMLElement[] {
    const { trans, copy } = this.ctx;
    switch (part) {
      case "title":
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
        ];
      case "url":
        return [
          h(
            "div",
            { className: "dw-Endpoint-urlRow" },
            h("code", { className: "dw-Endpoint-url", text: ep.url, title: ep.url }),
            copyButton(ep.url, trans.__("Copy URL"), copy),
          ),
        ];
      case "traffic":
        return ep.traffic.map((t) => h("div", { className: "dw-Endpoint-traffic", title: t.title, text: t.text }));
      case "monitoring":
        return ep.monitoring ? [renderMonitoring(ep.monitoring)] : [];
      case "curl":
        return [h("pre", { className: "dw-Endpoint-curl", text: ep.curl })];
      case "actions":
        return [
          h(
            "div",
            { className: "dw-Actions" },
            retrainButton(ep, () => void this.ctx.execute(CommandIds.retrain, { model_id: ep.key })),
            copyButton(ep.curl, trans.__("Copy curl"), copy),
          ),
        ];
      case "retrain":
        return ep.retrain ? [renderRetrain(ep.retrain, copy)] : [];
    }
  }
}
