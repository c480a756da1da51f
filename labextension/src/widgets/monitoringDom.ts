import { copyButton, h } from "./dom.js";
import type { MonitoringView, RetrainView } from "./monitoringView.js";
import type { EndpointView } from "./sidebarView.js";

/** An endpoint's drift badge, the columns that drifted, and the last check in a line. */
export function renderMonitoring(m: MonitoringView): HTMLElement {
  return h(
    "div",
    { className: `dw-Monitoring dw-mod-${m.state}`, title: m.title, attrs: { "data-monitoring": m.state } },
    h(
      "div",
      { className: "dw-Monitoring-row" },
      h("span", { className: `dw-Badge dw-mod-${m.state}`, text: m.badge }),
      ...m.columns.map((c) => h("span", { className: "dw-Monitoring-column", text: c })),
    ),
    m.detail ? h("div", { className: "dw-Monitoring-detail", text: m.detail }) : null,
    m.abTest ? h("div", { className: "dw-Monitoring-detail dw-Monitoring-abtest", text: m.abTest }) : null,
  );
}

/**
 * The Retrain button: accented while the endpoint has drifted, disabled while a retraining of it
 * runs. `retrain` asks the plugin to run it (a widget never runs commands itself).
 */
export function retrainButton(ep: EndpointView, retrain: () => void): HTMLButtonElement {
  const running = ep.retrain?.state === "running";
  const drift = ep.monitoring?.state === "drift";
  const button = h("button", {
    className: `jp-Button ${drift ? "jp-mod-styled jp-mod-warn" : "jp-mod-minimal"} dw-RetrainButton`,
    title: `Train ${ep.key}'s model again (same spec, newest data, with the gates) and compare it with the version serving`,
    text: running ? "Retraining…" : "Retrain",
    attrs: { type: "button", ...(running ? { disabled: "" } : {}) },
  });
  button.addEventListener("click", retrain);
  return button;
}

/** A retraining's progress, or its new run, comparison and next steps, or its error. */
export function renderRetrain(r: RetrainView, copy: (text: string) => void): HTMLElement {
  const attrs: Record<string, string> = { "data-retrain": r.state };
  if (r.runId) attrs["data-run-id"] = r.runId;
  if (r.verdict) attrs["data-verdict"] = r.verdict;
  const next = r.next.join("\n");
  return h(
    "div",
    { className: `dw-Retrain dw-mod-${r.state}`, attrs },
    h("div", { className: "dw-Retrain-headline", text: r.headline }),
    ...r.lines.map((line) => h("div", { className: "dw-Retrain-line", text: line })),
    next ? h("div", { className: "dw-Retrain-label", text: "Next" }) : null,
    next ? h("pre", { className: "dw-Retrain-next", text: next }) : null,
    next ? h("div", { className: "dw-Actions" }, copyButton(next, "Copy", copy)) : null,
  );
}
