import { html, type Html } from "../../render/html.js";
import { num, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { searchDatasets } from "../searchDatasets.js";

/** The datasets that match, with what matched in each. */
export function renderSearchDatasets(o: OutputOf<typeof searchDatasets>): Html {
  const hits = o.datasets;
  const sub = html`${num(o.total)} dataset${o.total === 1 ? "" : "s"}${o.query ? html` matching “${o.query}”` : ""}${
    hits.length < o.total ? ` (first ${hits.length})` : ""
  }`;
  if (hits.length === 0) return title("Datasets", sub);
  return html`${title("Datasets", sub)}${table(
    ["dataset", "rows", "columns", "format · source", "matched"],
    hits.map((h) => [
      html`<code>${h.dataset_id}</code>`,
      num(h.rows),
      h.columns.slice(0, 8).join(", ") + (h.columns.length > 8 ? ", …" : ""),
      html`${h.format} · ${h.source}`,
      h.matched.join(", "),
    ]),
  )}`;
}
