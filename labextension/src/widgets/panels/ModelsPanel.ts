import { Dialog, showDialog } from "@jupyterlab/apputils";
import type { ErrorPayload, ModelState } from "../../../../src/comm/protocol.js";
import { askReason } from "../askReason.js";
import { h } from "../dom.js";
import { RunCode, RunCodeSession } from "../RunCode.js";
import { aliasChoices, aliasMoveView, lineageView, modelCardView, readModelVersions, type VersionDetail } from "../modelsView.js";
import { sidebarView, type ModelView, type VersionView } from "../sidebarView.js";
import type { PanelContext, SidebarPanel } from "./SidebarPanel.js";
import { toolErrorDom } from "./toolErrorDom.js";

/** A version's details as far as they have loaded. */
type Details =
  | { state: "loading" }
  | { state: "ready"; card: { label: string; value: string; title?: string }[]; lineage: string[] | { error: string } | null }
  | { state: "failed"; error: ErrorPayload };

type Move = { state: "running"; text: string } | { state: "done"; text: string } | { state: "failed"; error: ErrorPayload };

let panels = 0;

/**
 * The Models panel: each registered model with its aliases and versions (algorithm, run, metrics,
 * from the state). A version's Details show its model card (get_model_versions: task, target,
 * features, metrics, data, run, description) and its lineage to the data (get_lineage on the
 * content hash it was trained on); "Set alias…" asks which alias to move there, confirms what that
 * changes, and moves it with deploy_model (the deploy gate runs, dw serve serves the version). What
 * is open, loaded or moving is kept by model and version, and the panel is redrawn only when the
 * models change or one of those does, so the polling does not close or refetch anything.
 */
export class ModelsPanel implements SidebarPanel {
  readonly id = "models";
  readonly label: string;
  readonly node = h("div", { className: "dw-Models" });
  private shownKey: string | null = null;
  private models: ModelView[] = [];
  private states = new Map<string, ModelState>();
  private readonly open = new Set<string>();
  private readonly details = new Map<string, Details>();
  private readonly moves = new Map<string, Move>();
  /** Each version's Code dialog's readings and reproduction, by model, version and run (a run commit never changes). */
  private readonly codeSessions = new Map<string, RunCodeSession>();
  private readonly domId: string;

  constructor(private readonly ctx: PanelContext) {
    panels += 1;
    this.domId = `dw-models-${panels}`;
    this.label = ctx.trans.__("Models");
  }

  update(): void {
    const { client } = this.ctx;
    const view = sidebarView(client.connection, client.state, client.curlExamples, client.monitoring, client.retrains);
    if (view.kind !== "state") return;
    const key = JSON.stringify(client.state?.models ?? []);
    if (key === this.shownKey) return;
    this.shownKey = key;
    // A model that changed (a new version, a moved alias) has its loaded details read again when next opened.
    const before = this.states;
    this.states = new Map((client.state?.models ?? []).map((m) => [m.name, m]));
    for (const [name, model] of this.states) {
      if (JSON.stringify(before.get(name)) === JSON.stringify(model)) continue;
      for (const k of [...this.details.keys()]) if (k.startsWith(`${name}\0`)) this.details.delete(k);
    }
    this.models = view.models;
    this.draw();
    for (const k of this.open) if (!this.details.has(k)) void this.load(k);
  }

  dispose(): void {
    this.node.replaceChildren();
  }

  private draw(): void {
    const { trans } = this.ctx;
    if (this.models.length === 0) {
      this.node.replaceChildren(h("p", { className: "dw-Sidebar-empty", text: trans.__("No registered model yet.") }));
      return;
    }
    const focused = document.activeElement instanceof HTMLElement && this.node.contains(document.activeElement) ? document.activeElement.id : "";
    this.node.replaceChildren(...this.models.map((m) => this.renderModel(m)));
    if (focused) document.getElementById(focused)?.focus();
  }

  private renderModel(model: ModelView): HTMLElement {
    const { trans } = this.ctx;
    const move = this.moves.get(model.name);
    const rows = model.versions.flatMap((v) => this.renderVersion(model, v));
    return h(
      "div",
      { className: "dw-Model", attrs: { "data-model": model.name } },
      h(
        "div",
        { className: "dw-Model-title" },
        h("span", { className: "dw-Model-name", text: model.name }),
        ...model.aliases.map((a) => h("span", { className: "dw-Alias", text: a })),
      ),
      move
        ? move.state === "failed"
          ? toolErrorDom(trans.__("Moving the alias"), move.error, trans)
          : h("div", { className: `dw-Model-move dw-mod-${move.state}`, text: move.text, attrs: { role: "status", "aria-live": "polite" } })
        : null,
      h("table", { className: "dw-Versions" }, h("tbody", {}, ...rows)),
    );
  }

  private renderVersion(model: ModelView, v: VersionView): HTMLElement[] {
    const { trans } = this.ctx;
    const key = `${model.name}\0${v.version}`;
    const id = `${this.domId}-${model.name}-${v.version}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const isOpen = this.open.has(key);
    const toggle = h("button", {
      className: "jp-Button jp-mod-minimal dw-Version-details",
      text: isOpen ? trans.__("Hide details") : trans.__("Details"),
      attrs: {
        type: "button",
        id: `${id}-toggle`,
        "aria-expanded": String(isOpen),
        "aria-controls": `${id}-card`,
        "aria-label": trans.__("Details of %1 v%2", model.name, v.version),
      },
    });
    toggle.addEventListener("click", () => {
      if (this.open.has(key)) this.open.delete(key);
      else this.open.add(key);
      this.draw();
      if (this.open.has(key) && !this.details.has(key)) void this.load(key);
    });
    const setAlias = h("button", {
      className: "jp-Button jp-mod-minimal dw-Version-setAlias",
      text: trans.__("Set alias…"),
      attrs: { type: "button", id: `${id}-alias`, "aria-label": trans.__("Point an alias of %1 at v%2", model.name, v.version) },
    });
    setAlias.disabled = this.moves.get(model.name)?.state === "running";
    const code = h("button", {
      className: "jp-Button jp-mod-minimal dw-Version-code",
      text: trans.__("Code"),
      attrs: {
        type: "button",
        id: `${id}-code`,
        "aria-haspopup": "dialog",
        "aria-label": trans.__("Code of %1 v%2: what ran before its training, the diff with the previous version, and reproduce", model.name, v.version),
      },
    });
    code.addEventListener("click", () => void this.openCode(model.name, v.version, v.runId));
    setAlias.addEventListener("click", () => void this.moveAlias(model.name, v.version));
    const row = h(
      "tr",
      { attrs: { "data-version": String(v.version) } },
      h("td", { className: "dw-Version-number", text: `v${v.version}` }),
      h(
        "td",
        {},
        h("div", { className: "dw-Version-algorithm", text: v.algorithm }),
        h("div", { className: "dw-Version-run", title: v.runTitle, text: v.runId }),
        v.aliases ? h("div", { className: "dw-Version-aliases", text: v.aliases }) : null,
        h("div", { className: "dw-Version-actions" }, toggle, code, setAlias),
      ),
      h("td", { className: "dw-Version-metrics" }, ...v.metrics.map((m) => h("div", { title: m.title, text: m.text }))),
    );
    if (!isOpen) return [row];
    const card = h(
      "td",
      { className: "dw-ModelCard", attrs: { colspan: "3", id: `${id}-card`, "aria-live": "polite" } },
      this.renderDetails(this.details.get(key)),
    );
    return [row, h("tr", { className: "dw-ModelCard-row", attrs: { "data-card": String(v.version) } }, card)];
  }

  private renderDetails(d: Details | undefined): HTMLElement {
    const { trans } = this.ctx;
    if (!d || d.state === "loading") return h("div", { className: "dw-ModelCard-loading", text: trans.__("Reading the model card…") });
    if (d.state === "failed") return toolErrorDom(trans.__("Reading the version"), d.error, trans);
    return h(
      "div",
      {},
      h(
        "dl",
        { className: "dw-ModelCard-fields" },
        ...d.card.flatMap((f) => [
          h("dt", { text: trans.__(f.label) }),
          h("dd", { text: f.value, title: f.title ?? f.value, attrs: { "data-field": f.label } }),
        ]),
      ),
      h("div", { className: "dw-ModelCard-label", text: trans.__("Lineage") }),
      d.lineage === null
        ? h("div", { className: "dw-ModelCard-lineage", text: trans.__("Tracing the data…") })
        : Array.isArray(d.lineage)
          ? h("ul", { className: "dw-ModelCard-lineage" }, ...d.lineage.map((line) => h("li", { text: line })))
          : h("div", { className: "dw-ModelCard-lineage dw-mod-error", text: d.lineage.error }),
    );
  }

  /** Loads a version's card, then its lineage; both through the comm. */
  private async load(key: string): Promise<void> {
    const [model, versionText] = key.split("\0");
    const version = Number(versionText);
    this.details.set(key, { state: "loading" });
    const outcome = await this.ctx.client.callTool({ tool: "get_model_versions", input: { model_name: model } });
    if (!outcome.ok) return this.settle(key, { state: "failed", error: outcome.error });
    const versions = readModelVersions(outcome.output);
    const detail: VersionDetail | undefined = versions.ok ? versions.value.get(version) : undefined;
    if (!versions.ok || !detail) {
      const message = versions.ok ? `get_model_versions does not list ${model} v${version} any more.` : versions.message;
      return this.settle(key, { state: "failed", error: { code: "UNREADABLE", message } });
    }
    const card = modelCardView(detail);
    this.settle(key, { state: "ready", card, lineage: null });
    const lineage = await this.ctx.client.callTool({ tool: "get_lineage", input: { sha256: detail.data_sha256 } });
    const lines = lineage.ok ? lineageView(lineage.output, detail) : { ok: false as const, message: lineage.error.message };
    this.settle(key, { state: "ready", card, lineage: lines.ok ? lines.value : { error: lines.message } });
  }

  private settle(key: string, d: Details): void {
    if (this.details.get(key) === undefined) return; // the model changed meanwhile: it is read again when opened
    this.details.set(key, d);
    if (this.open.has(key)) this.draw();
  }

  /**
   * A version's Code dialog: a dialog rather than a main-area tab because panels do not reach the
   * application shell (they act through commands and the client), and a modal keeps the three
   * views tied to the version they were opened for; Escape closes it and focus returns to Code.
   */
  private async openCode(model: string, version: number, runId: string): Promise<void> {
    const { trans, client, copy } = this.ctx;
    const key = `${model}\0${version}\0${runId}`;
    let session = this.codeSessions.get(key);
    if (!session) {
      session = new RunCodeSession(client, model, version);
      this.codeSessions.set(key, session);
    }
    await showDialog({
      title: trans.__("%1 v%2: the code that made it", model, version),
      body: new RunCode(session, trans, copy),
      buttons: [Dialog.cancelButton({ label: trans.__("Close") })],
      focusNodeSelector: ".dw-RunCode-tab[aria-selected='true']",
      hasClose: true,
    });
  }

  private async moveAlias(modelName: string, version: number): Promise<void> {
    const { trans, client } = this.ctx;
    const model = this.states.get(modelName);
    if (!model) return;
    const plan = await askReason({
      title: trans.__("Set an alias of %1 to v%2", modelName, version),
      detail: trans.__(
        "Aliases now: %1",
        Object.entries(model.aliases)
          .map(([a, v]) => `@${a} → v${v}`)
          .join(", ") || trans.__("none"),
      ),
      label: trans.__("Alias"),
      accept: trans.__("Next"),
      trans,
      choices: aliasChoices(model.aliases),
      initial: "production",
      check: (alias) => {
        const r = aliasMoveView(model, version, alias);
        return r.ok ? { ok: true, value: r } : { ok: false, message: trans.__(r.message) };
      },
    });
    if (!plan) return;
    const confirmed = await showDialog({
      title: trans.__("Move @%1?", plan.input.alias),
      body: plan.confirm,
      buttons: [Dialog.cancelButton({ label: trans.__("Cancel") }), Dialog.warnButton({ label: trans.__("Move") })],
    });
    if (!confirmed.button.accept) return;
    this.moves.set(modelName, { state: "running", text: trans.__("Moving @%1 to v%2 (deploy gate, then dw serve)…", plan.input.alias, version) });
    this.draw();
    try {
      const outcome = await client.callTool({ tool: "deploy_model", input: plan.input });
      this.moves.set(
        modelName,
        outcome.ok
          ? { state: "done", text: trans.__("@%1 → v%2: %3", plan.input.alias, version, String(outcome.output.endpoint_url ?? "")) }
          : { state: "failed", error: outcome.error },
      );
    } catch (error) {
      this.moves.set(modelName, { state: "failed", error: { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) } });
    }
    this.draw();
    client.refresh();
  }
}
