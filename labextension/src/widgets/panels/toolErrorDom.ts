import type { TranslationBundle } from "@jupyterlab/translation";
import type { ErrorPayload } from "../../../../src/comm/protocol.js";
import { h } from "../dom.js";

/** A tool's error in a panel: what failed (the kernel's message), what to do (its hint), and its code for searching the docs. */
export function toolErrorDom(what: string, error: ErrorPayload, trans: TranslationBundle): HTMLElement {
  return h(
    "div",
    { className: "dw-ToolError", attrs: { role: "alert" } },
    h("div", { className: "dw-ToolError-message", text: trans.__("%1 failed: %2", what, error.message) }),
    error.hint ? h("div", { className: "dw-ToolError-hint", text: error.hint }) : null,
    h("div", { className: "dw-ToolError-code", text: error.code }),
  );
}
