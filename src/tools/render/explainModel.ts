import { html, type Html } from "../../render/html.js";
import { fmt, num, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { explainModel } from "../explainModel.js";

/** Permutation importance per input column, then the trees' gain importance when the model has one. */
export function renderExplainModel(o: OutputOf<typeof explainModel>): Html {
  const gain = o.gain_importance ?? [];
  return html`${title(
    html`Why <code>${o.model_id}</code> predicts what it does`,
    html`permutation importance: drop in ${o.metric} (baseline ${fmt(o.baseline)}) over ${num(o.rows)} rows`,
  )}${table(
    ["feature", "importance", "± std"],
    o.permutation_importance.map((p) => [p.feature, fmt(p.mean), fmt(p.std)]),
  )}${
    gain.length
      ? html`${section("Gain importance")}${table(
          ["feature", "share"],
          gain.slice(0, 15).map((g) => [g.feature, fmt(g.importance)]),
        )}`
      : ""
  }${o.note ? html`<div style="opacity: 0.75">${o.note}</div>` : ""}`;
}
