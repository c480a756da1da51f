import { html, type Html } from "../../render/html.js";
import { fmt, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { predict } from "../predict.js";

/** The rows scored, one per line, with the prediction first and then each input. */
export function renderPredict(o: OutputOf<typeof predict>): Html {
  const names = o.inputs.map((f) => f.name);
  const cell = (v: unknown) => (typeof v === "number" ? fmt(v) : v === null || v === undefined ? "" : String(v));
  return html`${title(
    html`<code>${o.model}${o.alias !== undefined ? `@${o.alias}` : `/${o.version}`}</code> predicts ${o.target}`,
    `version ${o.version} · ${o.task} · ${o.predictions.length} row(s)`,
  )}${table(
    [`${o.target} (predicted)`, ...names],
    o.rows.map((row, i) => [cell(o.predictions[i]), ...names.map((n) => cell(row[n]))]),
  )}`;
}
