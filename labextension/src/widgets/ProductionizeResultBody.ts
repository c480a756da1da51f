import type { TranslationBundle } from "@jupyterlab/translation";
import type { ErrorPayload, ProductionizeResult } from "../../../src/comm/protocol.js";
import { copyButton, h } from "./dom.js";

/**
 * How a Productionize that went live ends its dialog: the endpoint, a curl to try it and the
 * monitoring it started. Carries what it shows as data attributes too, for scripts and tests.
 */
export function productionizeResultNode(result: ProductionizeResult, trans: TranslationBundle, copy: (text: string) => void): HTMLElement {
  const node = h("section", { className: "dw-ProductionizeResult", attrs: { "aria-label": trans.__("Endpoint") } });
  Object.assign(node.dataset, { runId: result.run_id, model: result.model_name, version: String(result.version), alias: result.alias });
  const monitoring = result.monitoring;
  node.append(
    h("h3", { className: "dw-ProductionizeResult-title", text: trans.__("%1@%2 is live", result.model_name, result.alias) }),
    h(
      "p",
      { className: "dw-ProductionizeResult-summary" },
      trans.__("Run %1 is now ", result.run_id),
      h("strong", { text: `${result.model_name} v${result.version}` }),
      trans.__(", served as "),
      h("strong", { text: `${result.model_name}@${result.alias}` }),
      ".",
    ),
    h("div", { className: "dw-ProductionizeResult-label", text: trans.__("Endpoint") }),
    h(
      "div",
      { className: "dw-ProductionizeResult-row" },
      h("code", { className: "dw-ProductionizeResult-url", text: result.endpoint_url }),
      copyButton(result.endpoint_url, trans.__("Copy URL"), copy),
    ),
    h("div", { className: "dw-ProductionizeResult-label", text: trans.__("Try it") }),
    h("pre", { className: "dw-ProductionizeResult-curl", text: result.curl }),
    h("div", { className: "dw-Actions" }, copyButton(result.curl, trans.__("Copy curl"), copy)),
    h("p", {
      className: "dw-ProductionizeResult-monitoring",
      attrs: { "data-state": monitoring?.state ?? "unknown" },
      text: !monitoring
        ? trans.__("Monitoring: the kernel did not say.")
        : monitoring.state === "started"
          ? trans.__("Drift monitoring started; each check is a commit: git log %1", monitoring.ref)
          : trans.__("Drift monitoring not started: the alias was undeployed meanwhile."),
    }),
  );
  return node;
}

/** How a Productionize that failed (not at a gate) ends its dialog: what went wrong, and what to do next. */
export function productionizeErrorNode(error: ErrorPayload, trans: TranslationBundle): HTMLElement {
  const node = h("section", { className: "dw-ProductionizeError", attrs: { role: "alert" } });
  node.append(h("p", { className: "dw-ProductionizeError-message", text: error.message }));
  if (error.hint) node.append(h("p", { className: "dw-ProductionizeError-hint", text: error.hint }));
  node.append(h("p", { className: "dw-ProductionizeError-code", text: trans.__("code: %1", error.code) }));
  return node;
}
