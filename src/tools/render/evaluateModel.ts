import { html, type Html } from "../../render/html.js";
import { fmt, kv, num, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { evaluateModel } from "../evaluateModel.js";

/** The metrics on the rows evaluated and, for a classifier, the confusion matrix. */
export function renderEvaluateModel(o: OutputOf<typeof evaluateModel>): Html {
  const classes = o.classes;
  return html`${title(
    html`Evaluation of <code>${o.model_id}</code>`,
    html`${o.task} · ${o.evaluation} · ${num(o.rows)} rows${o.dataset_id ? html` · dataset <code>${o.dataset_id}</code>` : ""}`,
  )}${o.note ? html`<div style="opacity: 0.75">${o.note}</div>` : ""}${kv(Object.entries(o.metrics).map(([k, v]) => [k, fmt(v)]))}${
    o.confusion_matrix && classes
      ? html`${section("Confusion matrix (rows: true, columns: predicted)")}${table(
          ["", ...classes.map(String)],
          o.confusion_matrix.map((row, i) => [html`<strong>${String(classes[i])}</strong>`, ...row.map(num)]),
        )}`
      : ""
  }`;
}
