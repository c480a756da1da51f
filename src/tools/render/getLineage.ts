import { html, joinHtml, type Html } from "../../render/html.js";
import { note, num, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { getLineage } from "../getLineage.js";

/** Each version of the data by content hash, with the runs that used it and the model versions made from them. */
export function renderGetLineage(o: OutputOf<typeof getLineage>): Html {
  const what = o.dataset_id ? html`<code>${o.dataset_id}</code>` : html`data ${String(o.sha256).slice(0, 12)}…`;
  const versions = o.versions.map(
    (v) =>
      html`${section(`sha256 ${v.sha256.slice(0, 12)}…${v.datasets.length ? ` (now ${v.datasets.join(", ")})` : " (no dataset holds it now)"}`)}${
        v.runs.length
          ? table(
              ["run", "created", "model", "registered as"],
              v.runs.map((r) => [
                html`<code>${r.run_id}</code>`,
                r.created_at,
                html`${r.algorithm} → ${r.target}`,
                r.models.length
                  ? joinHtml(
                      r.models.map((m) => html`${m.model_name} v${m.version}${m.aliases.length ? html` (${joinHtml(m.aliases, ", ")})` : ""}`),
                      ", ",
                    )
                  : "—",
              ]),
            )
          : note("no run used this version")
      }`,
  );
  return html`${title(
    html`Lineage of ${what}`,
    html`${o.versions.length} version${o.versions.length === 1 ? "" : "s"} · ${num(o.runs)} run${o.runs === 1 ? "" : "s"} · ${num(o.models)} model version${
      o.models === 1 ? "" : "s"
    }`,
  )}${versions}`;
}
