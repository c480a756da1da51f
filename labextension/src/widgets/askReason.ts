import { Dialog, showDialog } from "@jupyterlab/apputils";
import type { TranslationBundle } from "@jupyterlab/translation";
import { Widget } from "@lumino/widgets";
import { h } from "./dom.js";

let asked = 0;

/** A dialog body with a labelled text area (or a one-line field offering `choices`); its value is the dialog's. */
class ReasonBody extends Widget implements Dialog.IBodyWidget<string> {
  private readonly area: HTMLTextAreaElement | HTMLInputElement;

  constructor(label: string, detail: string, problem: string, value: string, choices: readonly string[] | undefined) {
    super();
    asked += 1;
    const id = `dw-reason-${asked}`;
    this.addClass("dw-Reason");
    const list = choices ? h("datalist", { attrs: { id: `${id}-choices` } }, ...choices.map((c) => h("option", { attrs: { value: c } }))) : null;
    this.area = choices
      ? h("input", { className: "dw-Reason-text", attrs: { id, type: "text", list: `${id}-choices`, autocomplete: "off", spellcheck: "false" } })
      : h("textarea", { className: "dw-Reason-text", attrs: { id, rows: "3", spellcheck: "true" } });
    this.area.value = value;
    this.node.append(
      h("p", { className: "dw-Reason-detail", text: detail }),
      h("label", { className: "dw-Reason-label", text: label, attrs: { for: id } }),
      this.area,
      list ?? "",
      problem ? h("p", { className: "dw-Reason-problem", text: problem, attrs: { role: "alert" } }) : "",
    );
  }

  getValue(): string {
    return this.area.value;
  }
}

/**
 * Asks for a reason (or, with `choices`, a short name such as an alias) in a dialog (approving or rejecting a version, say) and checks it with `check`
 * before resolving: a reason `check` refuses opens the dialog again with what it said and the text
 * typed so far. Resolves null when the user cancels.
 */
export async function askReason<T>(options: {
  title: string;
  detail: string;
  label: string;
  accept: string;
  trans: TranslationBundle;
  /** Ask for one line, suggesting these (an input with a datalist) instead of a text area. */
  choices?: readonly string[];
  initial?: string;
  check: (reason: string) => { ok: true; value: T } | { ok: false; message: string };
}): Promise<T | null> {
  let text = options.initial ?? "";
  let problem = "";
  for (;;) {
    const result = await showDialog({
      title: options.title,
      body: new ReasonBody(options.label, options.detail, problem, text, options.choices),
      buttons: [Dialog.cancelButton({ label: options.trans.__("Cancel") }), Dialog.okButton({ label: options.accept })],
      focusNodeSelector: ".dw-Reason-text",
    });
    if (!result.button.accept) return null;
    text = result.value ?? "";
    const checked = options.check(text);
    if (checked.ok) return checked.value;
    problem = checked.message;
  }
}
