import { html, raw, type Html } from "../../render/html.js";
import { fmt, num, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { suggestFeatures } from "../suggestFeatures.js";

/** The ranked features with a bar for each score, then the flags, transforms and join candidates when there are any. */
export function renderSuggestFeatures(o: OutputOf<typeof suggestFeatures>): Html {
  const bar = (x: number) =>
    raw(
      `<span style="display: inline-block; height: 8px; width: ${Math.round(Math.max(0, Math.min(1, x)) * 80)}px; background: var(--jp-brand-color1, #1976d2)"></span>`,
    );
  return html`${title(html`Features for <code>${o.target}</code>`, html`${o.task} · dataset <code>${o.dataset_id}</code> · ${num(o.rows_used)} rows`)}${table(
    ["rank", "feature", "type", "score", "", "r", "MI"],
    o.features.map((f) => [f.rank, f.name, html`<em>${f.type}</em>`, fmt(f.score), bar(f.score), fmt(f.correlation), fmt(f.mutual_information)]),
  )}${
    o.flags.length
      ? html`${section("Flags")}${table(
          ["column", "kind", "reason"],
          o.flags.map((f) => [f.column, html`<strong>${f.kind}</strong>`, f.reason]),
        )}`
      : ""
  }${
    o.transforms.length
      ? html`${section("Transforms to try")}${table(
          ["column", "transform", "reason"],
          o.transforms.map((t) => [t.column, t.transform, t.reason]),
        )}`
      : ""
  }${
    o.joins.length
      ? html`${section("Join candidates")}${table(
          ["dataset", "column", "overlap"],
          o.joins.map((j) => [j.dataset_id, j.column, html`${fmt(100 * j.overlap)}%`]),
        )}`
      : ""
  }`;
}
