import { esc, kv, note, num, section, table, title, type Renderer } from "../html.js";

interface Col {
  name: string;
  type: string;
  nulls: number;
  null_rate?: number;
}

function provenance(o: Record<string, unknown>): string {
  const parts = [`${esc(o.format)} · ${esc(o.source)}`];
  if (o.engine) parts.push(`${esc(o.engine)}${o.connection ? ` (${esc(o.connection)})` : ""}`);
  const tags = (o.tags as string[] | undefined) ?? [];
  if (tags.length) parts.push(`tags: ${tags.map(esc).join(", ")}`);
  return parts.join(" · ");
}

/** HTML summaries for the data and catalog tools; merged into renderResultHtml's table. */
export const dataRenderers: Record<string, Renderer> = {
  load_dataset: (o) => {
    const cols = (o.columns as Col[]) ?? [];
    const preview = (o.preview as Record<string, unknown>[]) ?? [];
    return (
      title(
        `Dataset <code>${esc(o.dataset_id)}</code>`,
        `${num(o.rows)} rows × ${cols.length} columns · sha256 ${esc(String(o.sha256).slice(0, 12))}… · ${provenance(o)}`,
      ) +
      table(
        cols.map((c) => c.name),
        [cols.map((c) => `<em>${esc(c.type)}</em>${c.nulls ? ` · ${c.nulls} null` : ""}`), ...preview.map((r) => cols.map((c) => esc(r[c.name])))],
        true,
      ) +
      (o.query ? note(esc(o.query)) : "")
    );
  },
  get_table_schema: (o) => {
    const cols = (o.columns as Col[]) ?? [];
    return (
      title(`Schema of <code>${esc(o.dataset_id)}</code>`, `${num(o.rows)} rows × ${cols.length} columns · ${provenance(o)}`) +
      table(
        ["column", "type", "nulls", "null rate"],
        cols.map((c) => [esc(c.name), `<em>${esc(c.type)}</em>`, num(c.nulls), `${((c.null_rate ?? 0) * 100).toFixed(1)}%`]),
      ) +
      kv([
        ["sha256", `<code>${esc(o.sha256)}</code>${o.cached ? "" : " (no longer cached: load it again)"}`],
        ["loaded", esc(o.loaded_at)],
      ]) +
      (o.query ? section("query") + note(esc(o.query)) : "")
    );
  },
  search_datasets: (o) => {
    const hits = (o.datasets as { dataset_id: string; source: string; format: string; rows: number; columns: string[]; matched: string[] }[]) ?? [];
    const q = String(o.query ?? "");
    const sub = `${num(o.total)} dataset${o.total === 1 ? "" : "s"}${q ? ` matching “${esc(q)}”` : ""}${hits.length < Number(o.total) ? ` (first ${hits.length})` : ""}`;
    if (hits.length === 0) return title("Datasets", sub);
    return (
      title("Datasets", sub) +
      table(
        ["dataset", "rows", "columns", "format · source", "matched"],
        hits.map((h) => [
          `<code>${esc(h.dataset_id)}</code>`,
          num(h.rows),
          esc(h.columns.slice(0, 8).join(", ") + (h.columns.length > 8 ? ", …" : "")),
          `${esc(h.format)} · ${esc(h.source)}`,
          esc(h.matched.join(", ")),
        ]),
      )
    );
  },
  get_lineage: (o) => {
    const versions =
      (o.versions as {
        sha256: string;
        datasets: string[];
        runs: { run_id: string; created_at: string; algorithm: string; target: string; models: { model_name: string; version: number; aliases: string[] }[] }[];
      }[]) ?? [];
    const what = o.dataset_id ? `<code>${esc(o.dataset_id)}</code>` : `data ${esc(String(o.sha256).slice(0, 12))}…`;
    let html = title(
      `Lineage of ${what}`,
      `${versions.length} version${versions.length === 1 ? "" : "s"} · ${num(o.runs)} run${o.runs === 1 ? "" : "s"} · ${num(o.models)} model version${o.models === 1 ? "" : "s"}`,
    );
    for (const v of versions) {
      html += section(`sha256 ${v.sha256.slice(0, 12)}…${v.datasets.length ? ` (now ${v.datasets.join(", ")})` : " (no dataset holds it now)"}`);
      html += v.runs.length
        ? table(
            ["run", "created", "model", "registered as"],
            v.runs.map((r) => [
              `<code>${esc(r.run_id)}</code>`,
              esc(r.created_at),
              `${esc(r.algorithm)} → ${esc(r.target)}`,
              r.models.map((m) => `${esc(m.model_name)} v${m.version}${m.aliases.length ? ` (${m.aliases.map(esc).join(", ")})` : ""}`).join(", ") || "—",
            ]),
          )
        : note("no run used this version");
    }
    return html;
  },
};
