import { html, type Html } from "../../render/html.js";
import { fmt, note, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { listRuns } from "../listRuns.js";

/** The newest runs, one row each: when, what it trained, its headline metric, gates, registrations and where it came from. */
export function renderListRuns(o: OutputOf<typeof listRuns>): Html {
  if (o.runs.length === 0) return title("No runs yet", html`Train one with: <code>%dw train_model --data &lt;dataset_id&gt; --target &lt;column&gt;</code>`);
  return html`${title(`${o.runs.length} newest run(s)`, "newest first")}${table(
    ["run", "created", "algorithm", "target", "data", "metric", "gates", "registered", "origin"],
    o.runs.map((r) => [
      html`<code>${r.run_id}</code>`,
      r.created_at,
      r.error ? html`<span title="${r.error}">⚠ ${r.algorithm || "unreadable"}</span>` : r.algorithm,
      r.target,
      html`${r.data.dataset_id} (${r.data.rows} rows)`,
      r.metric ? html`${r.metric.name} ${fmt(r.metric.value)}` : "–",
      r.override ? html`<span title="${r.override.by}: ${r.override.reason}">${r.gate_status}</span>` : r.gate_status,
      r.registered.map((v) => `${v.model}/${v.version}`).join(", "),
      r.origin.notebook_path ?? r.origin.via,
    ]),
  )}${note(`git log refs/dw/runs/${o.runs[0].run_id}`)}`;
}
