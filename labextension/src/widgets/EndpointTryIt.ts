import type { TranslationBundle } from "@jupyterlab/translation";
import type { ErrorPayload } from "../../../src/comm/protocol.js";
import type { IDwClient } from "../tokens.js";
import { h } from "./dom.js";
import { predictErrorLines, predictionView, readPredictAnswer, rowFromForm, tryFields, type PredictAnswer, type TryField } from "./endpointTryView.js";

let forms = 0;

/**
 * An endpoint's "Try it": a disclosure that, when first opened, asks the kernel's predict tool for
 * the served version's inputs and example row, builds one field per input prefilled with it, and
 * on Send scores the row through predict (in the kernel, as dw serve scores it, without counting
 * as the endpoint's traffic) and shows the prediction or the error with its hint. It is built once
 * per endpoint and kept across the sidebar's redraws, so what the user typed stays; it rebuilds
 * its fields only when the alias comes to serve another version (keeping values of fields that
 * stay the same).
 */
export class EndpointTryIt {
  readonly node: HTMLDetailsElement;
  private readonly body: HTMLElement;
  private readonly result: HTMLElement;
  private fields: TryField[] = [];
  private readonly controls = new Map<string, HTMLInputElement>();
  /** The version whose fields are built (0: none yet), and the one the endpoint serves now. */
  private built = 0;
  private serving = 0;
  private loading = false;
  private readonly prefix: string;

  constructor(
    private readonly client: IDwClient,
    private readonly trans: TranslationBundle,
    private readonly modelId: string,
  ) {
    forms += 1;
    this.prefix = `dw-try-${forms}`;
    this.body = h("div", { className: "dw-TryIt-body" });
    this.result = h("div", { className: "dw-TryIt-result", attrs: { role: "status", "aria-live": "polite" } });
    this.node = h(
      "details",
      { className: "dw-TryIt", attrs: { "data-try": modelId } },
      h("summary", { className: "dw-TryIt-summary", text: trans.__("Try it") }),
      this.body,
      this.result,
    );
    this.node.addEventListener("toggle", () => {
      if (this.node.open) void this.load();
    });
  }

  /** The endpoint now serves `version`: the fields are rebuilt on the next opening (or now, when open). */
  setVersion(version: number): void {
    if (version === this.serving) return;
    this.serving = version;
    if (this.node.open && this.built !== 0 && this.built !== version) void this.load();
  }

  /** Asks predict for the inputs and the example row and builds the form (once per served version). */
  private async load(): Promise<void> {
    if (this.loading || (this.built !== 0 && this.built === this.serving)) return;
    this.loading = true;
    const { trans } = this;
    if (this.built === 0) this.body.replaceChildren(h("div", { className: "dw-TryIt-loading", text: trans.__("Reading the model's inputs…") }));
    try {
      const outcome = await this.client.callTool({ tool: "predict", input: { model_id: this.modelId } });
      if (!outcome.ok) return this.showError(outcome.error, this.built === 0);
      const answer = readPredictAnswer(outcome.output);
      if (!answer)
        return this.showError({ code: "PROTOCOL_ERROR", message: trans.__("The kernel's predict answered in a shape this sidebar does not know.") }, true);
      this.build(answer);
    } catch (error) {
      this.showError({ code: "NOT_CONNECTED", message: error instanceof Error ? error.message : String(error) }, this.built === 0);
    } finally {
      this.loading = false;
    }
  }

  private build(answer: PredictAnswer): void {
    const { trans } = this;
    const kept = new Map<string, string | boolean>();
    for (const f of tryFields(answer.inputs, answer.example)) {
      const old = this.fields.find((o) => o.name === f.name && o.type === f.type);
      const control = old ? this.controls.get(f.name) : undefined;
      if (control) kept.set(f.name, f.control === "checkbox" ? control.checked : control.value);
    }
    this.fields = tryFields(answer.inputs, answer.example);
    this.built = answer.version;
    if (this.serving === 0) this.serving = answer.version;
    this.controls.clear();
    const rows = this.fields.map((f, i) => {
      const id = `${this.prefix}-${i}`;
      const value = kept.get(f.name) ?? f.value;
      const input = h("input", {
        className: "dw-TryIt-input",
        attrs: {
          id,
          name: f.name,
          type: f.control,
          ...(f.control === "number" ? { step: "any", inputmode: "decimal" } : {}),
          ...(f.control === "text" ? { spellcheck: "false", autocomplete: "off" } : {}),
        },
      });
      if (f.control === "checkbox") input.checked = value === true;
      else input.value = typeof value === "string" ? value : "";
      this.controls.set(f.name, input);
      return h(
        "div",
        { className: "dw-TryIt-field" },
        h("label", { className: "dw-TryIt-label", text: f.name, title: `${f.name} (${f.type})`, attrs: { for: id } }),
        input,
      );
    });
    const send = h("button", { className: "jp-Button jp-mod-styled jp-mod-accept dw-TryIt-send", text: trans.__("Send"), attrs: { type: "submit" } });
    const reset = h("button", {
      className: "jp-Button jp-mod-minimal dw-TryIt-reset",
      text: trans.__("Example row"),
      title: trans.__("Put the example row back in every field"),
      attrs: { type: "button" },
    });
    const form = h(
      "form",
      { className: "dw-TryIt-form", attrs: { "aria-label": trans.__("Try %1 with one row", this.modelId) } },
      ...rows,
      h("div", { className: "dw-Actions" }, reset, send),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send(send);
    });
    reset.addEventListener("click", () => {
      for (const f of this.fields) {
        const control = this.controls.get(f.name);
        if (!control) continue;
        if (f.control === "checkbox") control.checked = f.value === true;
        else control.value = typeof f.value === "string" ? f.value : "";
      }
    });
    this.body.replaceChildren(form);
    this.node.dataset.version = String(answer.version);
  }

  private async send(button: HTMLButtonElement): Promise<void> {
    const { trans } = this;
    const values = new Map<string, string | boolean>();
    for (const f of this.fields) {
      const control = this.controls.get(f.name);
      if (control) values.set(f.name, f.control === "checkbox" ? control.checked : control.value);
    }
    const row = rowFromForm(this.fields, values);
    if (!row.ok) {
      this.showLines(
        "failed",
        row.problems.map((p) => p.message),
      );
      this.controls.get(row.problems[0].field)?.focus();
      return;
    }
    button.disabled = true;
    this.showLines("running", [trans.__("Scoring…")]);
    try {
      const outcome = await this.client.callTool({ tool: "predict", input: { model_id: this.modelId, rows: [row.row] } });
      if (!outcome.ok) return this.showError(outcome.error, false);
      const answer = readPredictAnswer(outcome.output);
      if (!answer)
        return this.showError({ code: "PROTOCOL_ERROR", message: trans.__("The kernel's predict answered in a shape this sidebar does not know.") }, false);
      const p = predictionView(answer);
      this.result.className = "dw-TryIt-result dw-mod-done";
      this.result.dataset.state = "done";
      this.result.replaceChildren(
        h(
          "div",
          { className: "dw-TryIt-prediction" },
          h("span", { className: "dw-TryIt-target", text: p.label }),
          h("strong", { className: "dw-TryIt-value", text: p.value, title: p.exact }),
        ),
        h("div", { className: "dw-TryIt-detail", text: p.detail }),
      );
    } catch (error) {
      this.showError({ code: "NOT_CONNECTED", message: error instanceof Error ? error.message : String(error) }, false);
    } finally {
      button.disabled = false;
    }
  }

  private showError(error: ErrorPayload, inBody: boolean): void {
    if (inBody) this.body.replaceChildren();
    this.showLines("failed", predictErrorLines(error));
  }

  private showLines(state: "running" | "failed", lines: string[]): void {
    this.result.className = `dw-TryIt-result dw-mod-${state}`;
    this.result.dataset.state = state;
    this.result.replaceChildren(...lines.map((line) => h("div", { text: line })));
  }
}
