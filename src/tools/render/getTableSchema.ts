import { html, type Html } from "../../render/html.js";
import { kv, note, num, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { getTableSchema } from "../getTableSchema.js";
import { provenance } from "./provenance.js";

/** A dataset's columns with their types and missing values, its hash, and the query it came from. */
export function renderGetTableSchema(o: OutputOf<typeof getTableSchema>): Html {
  return html`${title(html`Schema of <code>${o.dataset_id}</code>`, html`${num(o.rows)} rows × ${o.columns.length} columns · ${provenance(o)}`)}${table(
    ["column", "type", "nulls", "null rate"],
    o.columns.map((c) => [c.name, html`<em>${c.type}</em>`, num(c.nulls), `${((c.null_rate ?? 0) * 100).toFixed(1)}%`]),
  )}${kv([
    ["sha256", html`<code>${o.sha256}</code>${o.cached ? "" : " (no longer cached: load it again)"}`],
    ["loaded", o.loaded_at],
  ])}${o.query ? html`${section("query")}${note(o.query)}` : ""}`;
}
