import type { TranslationBundle } from "@jupyterlab/translation";
import type { Message } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import type { ErrorPayload } from "../../../src/comm/protocol.js";
import type { IDwClient } from "../tokens.js";
import { compareView, type CompareView } from "./compareView.js";
import { copyButton, h } from "./dom.js";
import { comparisonDom } from "./panels/RunsComparison.js";
import { toolErrorDom } from "./panels/toolErrorDom.js";
import {
  diffInput,
  historyInput,
  readReproduction,
  readRunHistory,
  reproduceView,
  runCodeView,
  type ReproduceView,
  type RunCodeView,
  type RunHistory,
} from "./runCodeView.js";

type Loaded<T> = { state: "loading" } | { state: "ready"; value: T } | { state: "failed"; error: ErrorPayload };

export type RunCodeTab = "code" | "diff" | "reproduce";

const failure = (error: unknown): ErrorPayload => ({ code: "INTERNAL", message: error instanceof Error ? error.message : String(error) });

/**
 * What a version's Code dialog has read or is doing: its history (get_run_history), the diff with
 * the previous version (compare_experiments) and a reproduction (reproduce_run). The Models panel
 * keeps one per version, so closing the dialog neither loses a reproduction in flight nor reads a
 * run commit (which never changes) twice.
 */
export class RunCodeSession {
  history: Loaded<{ raw: RunHistory; view: RunCodeView }> | null = null;
  diff: Loaded<{ label: string; view: CompareView }> | { state: "none"; reason: string } | null = null;
  reproduction: { state: "running"; progress: string[] } | { state: "done"; view: ReproduceView } | { state: "failed"; error: ErrorPayload } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: IDwClient,
    readonly model: string,
    readonly version: number,
  ) {}

  /** Calls `listener` whenever something loads; returns what stops it. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async call(
    tool: string,
    input: Record<string, unknown>,
    onProgress?: (message: string) => void,
  ): Promise<{ ok: true; output: unknown } | { ok: false; error: ErrorPayload }> {
    try {
      const outcome = await this.client.callTool({ tool, input }, onProgress ? (p) => onProgress(p.message) : undefined);
      return outcome.ok ? { ok: true, output: outcome.output } : { ok: false, error: outcome.error };
    } catch (error) {
      return { ok: false, error: failure(error) };
    }
  }

  /** Reads the version's history once (again only after a failure). */
  async loadHistory(): Promise<void> {
    if (this.history && this.history.state !== "failed") return;
    this.history = { state: "loading" };
    this.changed();
    const outcome = await this.call("get_run_history", historyInput(this.model, this.version));
    const read = outcome.ok ? readRunHistory(outcome.output) : null;
    this.history = !outcome.ok
      ? { state: "failed", error: outcome.error }
      : read?.ok
        ? { state: "ready", value: { raw: read.value, view: runCodeView(read.value) } }
        : { state: "failed", error: { code: "UNREADABLE", message: read && !read.ok ? read.message : "" } };
    this.changed();
  }

  /** Compares the previous version's run with this one's, once the history says which that is. */
  async loadDiff(): Promise<void> {
    if (this.diff && this.diff.state !== "failed") return;
    await this.loadHistory();
    if (this.history?.state !== "ready") return;
    const plan = diffInput(this.history.value.raw, this.version);
    if (!plan.ok) {
      this.diff = { state: "none", reason: plan.reason };
      return this.changed();
    }
    this.diff = { state: "loading" };
    this.changed();
    const outcome = await this.call("compare_experiments", plan.input);
    const read = outcome.ok ? compareView(outcome.output) : null;
    this.diff = !outcome.ok
      ? { state: "failed", error: outcome.error }
      : read?.ok
        ? { state: "ready", value: { label: plan.label, view: read.view } }
        : { state: "failed", error: { code: "UNREADABLE", message: read && !read.ok ? read.message : "" } };
    this.changed();
  }

  /** Rebuilds the model from its commit (reproduce_run), with the kernel's progress lines as they come. */
  async reproduce(): Promise<void> {
    if (this.reproduction?.state === "running") return;
    const progress: string[] = [];
    this.reproduction = { state: "running", progress };
    this.changed();
    const outcome = await this.call("reproduce_run", { model_id: `${this.model}/${this.version}` }, (message) => {
      progress.push(message);
      this.changed();
    });
    const read = outcome.ok ? readReproduction(outcome.output) : null;
    this.reproduction = !outcome.ok
      ? { state: "failed", error: outcome.error }
      : read?.ok
        ? { state: "done", view: reproduceView(read.value) }
        : { state: "failed", error: { code: "UNREADABLE", message: read && !read.ok ? read.message : "" } };
    this.changed();
  }
}

let dialogs = 0;

const TAB_ORDER: readonly RunCodeTab[] = ["code", "diff", "reproduce"];

/**
 * The body of a version's Code dialog: three tabs (Code, Diff with previous version, Reproduce) over
 * a {@link RunCodeSession}. A tab list in the ARIA pattern: arrow keys, Home and End move between
 * tabs, Enter or Space (or a click) opens one; each panel is redrawn when its part of the session
 * changes, keeping the focus where it was.
 */
export class RunCode extends Widget {
  private tab: RunCodeTab;
  private readonly tabs: Record<RunCodeTab, HTMLButtonElement>;
  private readonly panels: Record<RunCodeTab, HTMLElement>;
  private readonly stop: () => void;
  private readonly domId: string;

  constructor(
    private readonly session: RunCodeSession,
    private readonly trans: TranslationBundle,
    private readonly copy: (text: string) => void,
    tab: RunCodeTab = "code",
  ) {
    super();
    dialogs += 1;
    this.domId = `dw-runcode-${dialogs}`;
    this.tab = tab;
    this.addClass("dw-RunCode");
    this.node.dataset.model = session.model;
    this.node.dataset.version = String(session.version);
    const names: Record<RunCodeTab, string> = {
      code: trans.__("Code"),
      diff: trans.__("Diff with previous version"),
      reproduce: trans.__("Reproduce"),
    };
    const order = TAB_ORDER;
    this.tabs = {} as Record<RunCodeTab, HTMLButtonElement>;
    this.panels = {} as Record<RunCodeTab, HTMLElement>;
    for (const t of order) {
      this.tabs[t] = h("button", {
        className: `dw-RunCode-tab dw-RunCode-tab-${t}`,
        text: names[t],
        attrs: { type: "button", role: "tab", id: `${this.domId}-tab-${t}`, "aria-controls": `${this.domId}-panel-${t}`, "data-tab": t },
      });
      this.tabs[t].addEventListener("click", () => this.select(t));
      this.panels[t] = h("div", {
        className: `dw-RunCode-panel dw-RunCode-panel-${t}`,
        attrs: { role: "tabpanel", id: `${this.domId}-panel-${t}`, "aria-labelledby": `${this.domId}-tab-${t}`, "data-panel": t },
      });
    }
    this.node.append(
      h(
        "div",
        { className: "dw-RunCode-tabs", attrs: { role: "tablist", "aria-label": trans.__("%1 v%2", session.model, session.version) } },
        ...order.map((t) => this.tabs[t]),
      ),
      ...order.map((t) => this.panels[t]),
    );
    this.stop = session.listen(() => this.render());
    this.select(tab);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.stop();
    window.removeEventListener("keydown", this.takeKeys, true);
    super.dispose();
  }

  /**
   * JupyterLab's Dialog listens to keys on its node while capturing: it takes every Enter (default
   * prevented) and answers it only for its own buttons, and sends an arrow key on any button to its
   * own buttons, so Enter on Reproduce would do nothing and an arrow on a tab would jump to Close.
   * Listening above the dialog, on the window, gives the dialog's inner buttons their keys back:
   * Enter presses them, and the tabs move with the arrows, Home and End (the ARIA tab pattern).
   */
  private readonly takeKeys = (event: KeyboardEvent): void => {
    const target = event.target;
    if (!(target instanceof HTMLButtonElement) || !this.node.contains(target)) return;
    const tab = TAB_ORDER.find((t) => this.tabs[t] === target);
    const arrows = ["ArrowLeft", "ArrowRight", "Home", "End"];
    if (event.key === "Enter") {
      event.preventDefault();
      event.stopPropagation();
      target.click();
    } else if (arrows.includes(event.key)) {
      event.preventDefault();
      event.stopPropagation();
      if (!tab) return;
      const i = TAB_ORDER.indexOf(tab);
      const n = TAB_ORDER.length;
      const to = { ArrowRight: TAB_ORDER[(i + 1) % n], ArrowLeft: TAB_ORDER[(i + n - 1) % n], Home: TAB_ORDER[0], End: TAB_ORDER[n - 1] }[event.key];
      if (!to) return;
      this.select(to);
      this.tabs[to].focus();
    }
  };

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    window.addEventListener("keydown", this.takeKeys, true);
  }

  protected override onBeforeDetach(msg: Message): void {
    window.removeEventListener("keydown", this.takeKeys, true);
    super.onBeforeDetach(msg);
  }

  /** Shows tab `t`, loading what it shows the first time. */
  select(t: RunCodeTab): void {
    this.tab = t;
    for (const [name, button] of Object.entries(this.tabs) as [RunCodeTab, HTMLButtonElement][]) {
      const selected = name === t;
      button.setAttribute("aria-selected", String(selected));
      button.tabIndex = selected ? 0 : -1;
      button.classList.toggle("dw-mod-selected", selected);
      this.panels[name].hidden = !selected;
    }
    if (t === "code" || t === "reproduce") void this.session.loadHistory();
    if (t === "diff") void this.session.loadDiff();
    this.render();
  }

  private render(): void {
    const focused = document.activeElement instanceof HTMLElement && this.panels[this.tab].contains(document.activeElement) ? document.activeElement.id : "";
    const history = this.session.history;
    if (history?.state === "ready" && history.value.raw.previous)
      this.tabs.diff.textContent = this.trans.__("Diff with v%1", history.value.raw.previous.version);
    this.panels[this.tab].replaceChildren(...this.renderTab(this.tab));
    if (focused) document.getElementById(focused)?.focus();
  }

  private renderTab(t: RunCodeTab): HTMLElement[] {
    if (t === "code") return this.renderCode();
    if (t === "diff") return this.renderDiff();
    return this.renderReproduce();
  }

  private loading(text: string): HTMLElement {
    return h("div", { className: "dw-RunCode-loading", text, attrs: { role: "status", "aria-live": "polite" } });
  }

  private renderCode(): HTMLElement[] {
    const { trans } = this;
    const history = this.session.history;
    if (!history || history.state === "loading") return [this.loading(trans.__("Reading the run's history…"))];
    if (history.state === "failed") return [toolErrorDom(trans.__("Reading the history"), history.error, trans)];
    const view = history.value.view;
    const facts = h(
      "dl",
      { className: "dw-RunCode-facts" },
      h("dt", { text: trans.__("run") }),
      h("dd", { text: `${view.runId} · ${view.created.text}`, title: view.created.title, attrs: { "data-field": "run" } }),
      h("dt", { text: trans.__("notebook") }),
      h("dd", { className: `dw-mod-${view.notebookSource.kind}`, text: trans.__(view.notebookSource.text), attrs: { "data-field": "notebook" } }),
      h("dt", { text: trans.__("environment") }),
      h("dd", { text: view.environment.text, title: view.environment.title, attrs: { "data-field": "environment" } }),
    );
    const findings = view.findings.length
      ? h(
          "ul",
          { className: "dw-RunCode-findings", attrs: { "aria-label": trans.__("What to know about this history") } },
          ...view.findings.map((f) =>
            h(
              "li",
              { className: `dw-RunCode-finding dw-mod-${f.kind}`, attrs: { "data-kind": f.kind } },
              h("span", { className: "dw-RunCode-findingLabel", text: trans.__(f.label) }),
              f.where ? h("span", { className: "dw-RunCode-findingWhere", text: f.where }) : null,
              h("div", { className: "dw-RunCode-findingMessage", text: f.message }),
            ),
          ),
        )
      : h("div", { className: "dw-RunCode-clean", text: trans.__("Every cell ran once, in notebook order, as saved.") });
    const out: HTMLElement[] = [facts, findings];
    if (view.codeNote) out.push(h("div", { className: "dw-RunCode-note", text: trans.__(view.codeNote) }));
    if (view.code) {
      const code = view.code;
      const label =
        code.of === "history"
          ? trans.__("The code that ran before the training, in execution order (%1 cells)", code.cells)
          : trans.__("The notebook stored with the run, in cell order");
      out.push(
        h(
          "div",
          { className: "dw-RunCode-codeHead" },
          h("span", { className: "dw-RunCode-codeLabel", text: label }),
          copyButton(code.text, trans.__("Copy code"), this.copy),
        ),
        h(
          "pre",
          { className: "dw-RunCode-code", attrs: { tabindex: "0", "aria-label": label, "data-of": code.of } },
          // Each line's newline sits outside its span, so a cell's header can span the full width as a block of its own.
          ...code.lines.flatMap((line, i) => [
            h(
              "span",
              { className: `dw-RunCode-line${line.cell ? " dw-mod-cell" : ""}` },
              ...line.tokens.map((tok) => (tok.kind === "plain" ? tok.text : h("span", { className: `dw-Tok dw-Tok-${tok.kind}`, text: tok.text }))),
            ),
            i < code.lines.length - 1 ? "\n" : "",
          ]),
        ),
      );
    }
    return out;
  }

  private renderDiff(): HTMLElement[] {
    const { trans } = this;
    const history = this.session.history;
    if (history?.state === "failed") return [toolErrorDom(trans.__("Reading the history"), history.error, trans)];
    const diff = this.session.diff;
    if (!diff || diff.state === "loading") return [this.loading(trans.__("Comparing with the previous version…"))];
    if (diff.state === "none") return [h("div", { className: "dw-RunCode-note", text: diff.reason })];
    if (diff.state === "failed") return [toolErrorDom(trans.__("Compare"), diff.error, trans)];
    return [comparisonDom(diff.value.view, trans, { label: trans.__("%1 %2", this.session.model, diff.value.label) })];
  }

  private renderReproduce(): HTMLElement[] {
    const { trans, session } = this;
    const r = session.reproduction;
    const run = h("button", {
      className: "jp-Button jp-mod-styled jp-mod-accept dw-RunCode-reproduce",
      text: r?.state === "running" ? trans.__("Reproducing…") : r ? trans.__("Reproduce again") : trans.__("Reproduce v%1", session.version),
      attrs: {
        type: "button",
        id: `${this.domId}-reproduce`,
        "aria-label": trans.__("Rebuild %1 v%2 from its run commit and compare", session.model, session.version),
      },
    });
    run.disabled = r?.state === "running";
    run.addEventListener("click", () => void session.reproduce());
    const out: HTMLElement[] = [
      h(
        "p",
        { className: "dw-RunCode-note" },
        trans.__(
          "Rebuilds the model from its run commit alone (the data by its content hash, the parameters, the seed) and compares the rebuilt model.json byte for byte with the stored one, and every metric. Nothing is written.",
        ),
      ),
      run,
    ];
    if (r?.state === "running")
      out.push(
        h(
          "div",
          { className: "dw-RunCode-progress", attrs: { role: "status", "aria-live": "polite" } },
          r.progress.length ? r.progress[r.progress.length - 1]! : trans.__("Rebuilding %1 v%2…", session.model, session.version),
        ),
      );
    if (r?.state === "failed") out.push(toolErrorDom(trans.__("Reproduce"), r.error, trans));
    if (r?.state === "done") {
      const v = r.view;
      out.push(
        h(
          "div",
          {
            className: `dw-RunCode-verdict ${v.identical ? "dw-mod-same" : "dw-mod-different"}`,
            attrs: { role: "status", "data-identical": String(v.identical) },
          },
          h("div", { className: "dw-RunCode-verdictHead", text: v.identical ? trans.__("Same bytes") : trans.__("Different") }),
          h("div", { className: "dw-RunCode-verdictText", text: v.headline }),
          h("code", { className: "dw-RunCode-sha", text: `sha256 ${v.sha256.stored}`, title: trans.__("model.json as stored") }),
          !v.identical && v.sha256.rebuilt
            ? h("code", { className: "dw-RunCode-sha", text: `rebuilt ${v.sha256.rebuilt}`, title: trans.__("model.json as rebuilt") })
            : null,
        ),
        v.differences.length
          ? h(
              "ol",
              { className: "dw-RunCode-differences", attrs: { "aria-label": trans.__("Differences") } },
              ...v.differences.map((d) => h("li", { text: d })),
            )
          : h("div", {}),
        h(
          "ul",
          { className: "dw-RunCode-metrics", attrs: { "aria-label": trans.__("Metrics") } },
          ...v.metrics.map((m) => h("li", { className: m.equal ? "dw-mod-equal" : "dw-mod-differs", text: m.text })),
        ),
        v.data ? h("div", { className: "dw-RunCode-environment dw-RunCode-data", text: v.data }) : h("div", {}),
        h("div", { className: "dw-RunCode-environment", text: v.environment }),
      );
    }
    return out;
  }
}
