import { h } from "../dom.js";
import { sidebarView, type ModelView } from "../sidebarView.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";

/** The Models panel: each registered model with its aliases and its versions (algorithm, run, metrics). */
export class ModelsPanel implements SidebarPanel {
  readonly id = "models";
  readonly label: string;
  readonly node = h("div", { className: "dw-Models" });

  constructor(private readonly ctx: PanelContext) {
    this.label = ctx.trans.__("Models");
  }

  update(): void {
    const { client, trans } = this.ctx;
    const view = sidebarView(client.connection, client.state, client.curlExamples, client.monitoring, client.retrains);
    if (view.kind !== "state") return void this.node.replaceChildren();
    if (view.models.length === 0) {
      this.node.replaceChildren(h("p", { className: "dw-Sidebar-empty", text: trans.__("No registered model yet.") }));
      return;
    }
    this.node.replaceChildren(...view.models.map((m) => renderModel(m)));
  }

  dispose(): void {
    this.node.replaceChildren();
  }
}

function renderModel(model: ModelView): HTMLElement {
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
  return h(
    "div",
    { className: "dw-Model", attrs: { "data-model": model.name } },
    h("div", { className: "dw-Model-title" }, h("span", { className: "dw-Model-name", text: model.name }), ...aliases),
    h("table", { className: "dw-Versions" }, h("tbody", {}, ...rows)),
  );
}
