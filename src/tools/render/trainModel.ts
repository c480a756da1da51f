import { html, joinHtml, type Html, type HtmlValue } from "../../render/html.js";
import { fmt, kv, note, num, plain, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { trainModel } from "../trainModel.js";
import { renderTrainingDecisions } from "./trainingDecisions.js";

/** A run: what was fitted on what, its held-out metrics, rows and time, the model's summary, and what dw decided and why. */
export function renderTrainModel(o: OutputOf<typeof trainModel>): Html {
  const summary: [string, HtmlValue][] = [];
  if (typeof o.model.intercept === "number") summary.push(["intercept", fmt(o.model.intercept)]);
  const coefficients = o.model.coefficients;
  if (typeof coefficients === "object" && coefficients !== null) {
    for (const [k, v] of Object.entries(coefficients)) summary.push([`coef ${k}`, fmt(typeof v === "number" ? v : plain(v))]);
  }
  for (const [k, v] of Object.entries(o.model)) if (k !== "intercept" && k !== "coefficients") summary.push([k, plain(v)]);
  const evaluation = o.evaluation === "kfold" ? "k-fold mean" : html`${num(o.rows.test)} held-out rows`;
  const dropped = o.rows.dropped_missing ? html` · ${num(o.rows.dropped_missing)} dropped (no target)` : "";
  return html`${title(
    html`Run <code>${o.run_id}</code>`,
    html`${o.algorithm} · ${o.task} · ${o.target} ~ ${joinHtml(o.features, " + ")} · data <code>${o.dataset_id}</code>`,
  )}${o.note ? html`<div style="opacity: 0.75">${o.note}</div>` : ""}${kv([
    ...Object.entries(o.metrics).map(([k, v]): [string, HtmlValue] => [k, fmt(v)]),
    ["evaluated on", evaluation],
    ["rows", html`${num(o.rows.train)} train${dropped}`],
    ["fit", html`${fmt(o.timings.fit_s)} s (total ${fmt(o.timings.total_s)} s)`],
    ...summary,
  ])}${renderTrainingDecisions(o.decisions)}${note(`git log refs/dw/runs/${o.run_id}`)}`;
}
