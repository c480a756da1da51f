import { Clipboard } from "@jupyterlab/apputils";
import { Widget } from "@lumino/widgets";
import type { ErrorPayload, ProductionizeResult } from "../../../src/comm/protocol.js";
import { copyButton, h } from "./dom.js";

const copy = (text: string): void => Clipboard.copyToSystem(text);

/** The body of the dialog that follows a successful Productionize: the endpoint and a curl to try it. */
export class ProductionizeResultBody extends Widget {
  constructor(result: ProductionizeResult) {
    super();
    this.addClass("dw-ProductionizeResult");
    // What the dialog shows, as data too, for scripts and tests that drive the UI.
    Object.assign(this.node.dataset, {
      runId: result.run_id,
      model: result.model_name,
      version: String(result.version),
      alias: result.alias,
    });
    this.node.append(
      h(
        "p",
        { className: "dw-ProductionizeResult-summary" },
        `Run ${result.run_id} is now `,
        h("strong", { text: `${result.model_name} v${result.version}` }),
        `, served as `,
        h("strong", { text: `${result.model_name}@${result.alias}` }),
        ".",
      ),
      h("div", { className: "dw-ProductionizeResult-label", text: "Endpoint" }),
      h(
        "div",
        { className: "dw-ProductionizeResult-row" },
        h("code", { className: "dw-ProductionizeResult-url", text: result.endpoint_url }),
        copyButton(result.endpoint_url, "Copy URL", copy),
      ),
      h("div", { className: "dw-ProductionizeResult-label", text: "Try it" }),
      h("pre", { className: "dw-ProductionizeResult-curl", text: result.curl }),
      h("div", { className: "dw-Actions" }, copyButton(result.curl, "Copy curl", copy)),
    );
  }
}

/** The body of the dialog when Productionize fails: what went wrong, and what to do next. */
export class ProductionizeErrorBody extends Widget {
  constructor(error: ErrorPayload) {
    super();
    this.addClass("dw-ProductionizeError");
    this.node.append(h("p", { className: "dw-ProductionizeError-message", text: error.message }));
    if (error.hint) this.node.append(h("p", { className: "dw-ProductionizeError-hint", text: error.hint }));
    this.node.append(h("p", { className: "dw-ProductionizeError-code", text: `code: ${error.code}` }));
  }
}
