import { html, type Html } from "../../render/html.js";
import { note, num, plain, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { loadDataset } from "../loadDataset.js";
import { provenance } from "./provenance.js";

/** The dataset's size, hash and origin, then its columns with their types over the first rows. */
export function renderLoadDataset(o: OutputOf<typeof loadDataset>): Html {
  const cols = o.columns;
  return html`${title(
    html`Dataset <code>${o.dataset_id}</code>`,
    html`${num(o.rows)} rows × ${cols.length} columns · sha256 ${o.sha256.slice(0, 12)}… · ${provenance(o)}`,
  )}${table(
    cols.map((c) => c.name),
    [cols.map((c) => html`<em>${c.type}</em>${c.nulls ? ` · ${c.nulls} null` : ""}`), ...o.preview.map((r) => cols.map((c) => plain(r[c.name])))],
    true,
  )}${o.query ? note(o.query) : ""}`;
}
