import { html, type Html } from "../../render/html.js";
import { fmt, num, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { getFeatureStats } from "../getFeatureStats.js";

/** One row per column: type, missing values, distinct values, moments, quantiles and the top values. */
export function renderGetFeatureStats(o: OutputOf<typeof getFeatureStats>): Html {
  return html`${title(html`Feature statistics of <code>${o.dataset_id}</code>`, html`${num(o.rows)} rows × ${o.columns.length} columns`)}${table(
    ["column", "type", "nulls", "distinct", "mean", "std", "min", "p25", "p50", "p75", "max", "top values"],
    o.columns.map((c) => [
      c.name,
      html`<em>${c.type}</em>`,
      c.nulls ? html`${num(c.nulls)} (${fmt(100 * c.null_rate)}%)` : "0",
      num(c.distinct),
      fmt(c.mean),
      fmt(c.std),
      fmt(c.min),
      fmt(c.quantiles?.p25),
      fmt(c.quantiles?.p50),
      fmt(c.quantiles?.p75),
      fmt(c.max),
      (c.top_values ?? [])
        .slice(0, 4)
        .map((t) => `${t.value} (${t.count})`)
        .join(", "),
    ]),
  )}`;
}
