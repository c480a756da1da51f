import { esc, num, table, title, type Renderer } from "../html.js";

/** HTML summaries for the data and catalog tools; merged into renderResultHtml's table. */
export const dataRenderers: Record<string, Renderer> = {
  load_dataset: (o) => {
    const cols = (o.columns as { name: string; type: string; nulls: number }[]) ?? [];
    const preview = (o.preview as Record<string, unknown>[]) ?? [];
    return (
      title(`Dataset <code>${esc(o.dataset_id)}</code>`, `${num(o.rows)} rows × ${cols.length} columns · sha256 ${esc(String(o.sha256).slice(0, 12))}… · ${esc(o.source)}`) +
      table(
        cols.map((c) => c.name),
        [cols.map((c) => `<em>${esc(c.type)}</em>${c.nulls ? ` · ${c.nulls} null` : ""}`), ...preview.map((r) => cols.map((c) => esc(r[c.name])))],
        true,
      )
    );
  },
};
