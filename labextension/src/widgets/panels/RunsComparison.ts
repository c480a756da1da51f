import type { TranslationBundle } from "@jupyterlab/translation";
import type { CompareView } from "../compareView.js";
import { h } from "../dom.js";

/**
 * compare_experiments' answer as DOM: metrics, the parameters that differ, the data diff and the
 * code diff (saying what was diffed). The Runs panel's Compare and a model version's "Diff with
 * previous version" show the same comparison, so it is built once. `close`, when given, adds a
 * close button whose label is `closeLabel`.
 */
export function comparisonDom(view: CompareView, trans: TranslationBundle, options: { label: string; close?: () => void; closeLabel?: string }): HTMLElement {
  let close: HTMLButtonElement | null = null;
  if (options.close) {
    const onClose = options.close;
    close = h("button", {
      className: "jp-Button jp-mod-minimal dw-Compare-close",
      text: "×",
      attrs: { type: "button", "aria-label": options.closeLabel ?? trans.__("Close the comparison") },
    });
    close.addEventListener("click", () => onClose());
  }
  const head = h(
    "tr",
    {},
    h("th", { text: trans.__("metric"), attrs: { scope: "col" } }),
    ...view.runIds.map((id) => h("th", { text: id, title: id, attrs: { scope: "col" } })),
  );
  const metricRows = view.metrics.map((m) =>
    h(
      "tr",
      { className: m.ranked ? "dw-mod-ranked" : "", attrs: { "data-metric": m.name } },
      h("th", { text: m.name, attrs: { scope: "row" } }),
      ...m.cells.map((c) => h("td", { className: c.best ? "dw-mod-best" : "", text: c.text, title: c.title })),
    ),
  );
  const paramRows = view.parameters.map((p) =>
    h(
      "tr",
      { attrs: { "data-parameter": p.name } },
      h("th", { text: p.name, attrs: { scope: "row" } }),
      ...p.values.map((v) => h("td", { text: v, title: v })),
    ),
  );
  return h(
    "section",
    { className: "dw-Compare-body", attrs: { "aria-label": options.label } },
    h("div", { className: "dw-Compare-head" }, h("div", { className: "dw-Compare-headline", text: view.headline }), close),
    h("table", { className: "dw-Compare-table dw-Compare-metrics" }, h("thead", {}, head), h("tbody", {}, ...metricRows)),
    h("div", { className: "dw-Compare-label", text: trans.__("Parameters that differ") }),
    paramRows.length
      ? h("table", { className: "dw-Compare-table dw-Compare-parameters" }, h("tbody", {}, ...paramRows))
      : h("div", { className: "dw-Compare-none", text: trans.__("None: the runs used the same parameters.") }),
    view.data
      ? h(
          "div",
          { className: `dw-Compare-data ${view.data.same ? "dw-mod-same" : "dw-mod-changed"}` },
          h("div", { className: "dw-Compare-label", text: trans.__("Data") }),
          ...view.data.lines.map((line) => h("div", { className: "dw-Compare-dataLine", text: line })),
        )
      : null,
    view.code
      ? h(
          "div",
          { className: "dw-Compare-code", attrs: view.code.of ? { "data-of": view.code.of.kind } : {} },
          h("div", { className: "dw-Compare-label", text: trans.__(view.code.heading) }),
          view.code.of ? h("div", { className: "dw-Compare-note dw-Compare-of", text: trans.__(view.code.of.text) }) : null,
          h("div", { className: "dw-Compare-note", text: view.code.summary }),
          view.code.note ? h("div", { className: "dw-Compare-note", text: view.code.note }) : null,
          view.code.lines.length === 0
            ? null
            : h(
                "pre",
                { className: "dw-Diff", attrs: { tabindex: "0", "aria-label": trans.__("Code diff") } },
                ...view.code.lines.map((l) => h("span", { className: `dw-Diff-line dw-mod-${l.kind}`, text: `${l.text}\n` })),
              ),
        )
      : null,
  );
}
