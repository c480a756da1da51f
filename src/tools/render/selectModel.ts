import { html, type Html, type HtmlValue } from "../../render/html.js";
import { fmt, kv, num, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { selectModel } from "../selectModel.js";

/** The data's characteristics that drove the choice, the ranked recommendations with their cross-validated scores, and notes. */
export function renderSelectModel(o: OutputOf<typeof selectModel>): Html {
  const c = o.characteristics;
  const facts: [string, HtmlValue][] = [
    ["rows", num(c.rows)],
    ["features", html`${num(c.features)} (${num(c.encoded_features)} after encoding)`],
    ["categorical share", fmt(c.categorical_share)],
    ["missing share", fmt(c.missing_share)],
  ];
  if (c.classes !== undefined) {
    const share = c.minority_share === undefined ? undefined : 100 * c.minority_share;
    facts.push(["classes", html`${num(c.classes)} · rarest ${c.minority_class} (${fmt(share)}%)`]);
  }
  const n = c.nonlinearity;
  facts.push([
    "non-linearity probe",
    html`linear ${fmt(n.linear)} vs shallow tree ${fmt(n.shallow_tree)} (${n.metric}) → ${n.nonlinear ? "non-linear" : "linear enough"}`,
  ]);
  return html`${title(html`Model selection for <code>${o.target}</code>`, html`${o.task} · dataset <code>${o.dataset_id}</code>`)}${kv(facts)}${section(
    "Recommendations",
  )}${table(
    ["rank", "algorithm", "cv", "fit", "rationale"],
    o.recommendations.map((r) => [
      r.rank,
      html`<strong>${r.algorithm}</strong>`,
      r.cv ? html`${fmt(r.cv.mean)} ± ${fmt(r.cv.std)}` : "",
      r.cv ? html`${fmt(r.cv.fit_s)} s` : "",
      r.rationale,
    ]),
  )}${o.notes.length ? html`<ul style="margin: 4px 0">${o.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}`;
}
