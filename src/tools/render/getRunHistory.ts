import { html, type Html } from "../../render/html.js";
import { note, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { getRunHistory } from "../getRunHistory.js";

/** The most lines of code the summary shows; the rest is in the run commit (the note says how to see it). */
const SHOWN_LINES = 400;

/** What ran before a run, in order: the findings as a table, then execution/history.ts (or notebook.ts) in a <pre>. */
export function renderGetRunHistory(o: OutputOf<typeof getRunHistory>): Html {
  const what = o.model ? `${o.model.name}${o.model.alias !== undefined ? `@${o.model.alias}` : ""} (v${o.model.version}), run ${o.run_id}` : `run ${o.run_id}`;
  const nb = o.notebook_path ? `${o.notebook_path}${o.notebook_source === "browser" ? " (from the browser)" : " (as saved)"}` : "no notebook";
  const file = o.history_ts !== null ? "execution/history.ts" : o.notebook_ts !== null ? "notebook.ts" : null;
  const code = o.history_ts ?? o.notebook_ts;
  const lines = code?.split("\n") ?? [];
  return html`${title(`The code behind ${what}`, `${o.created_at} · ${nb}${o.cell_id ? ` · cell ${o.cell_id}` : ""}`)}${
    o.findings.length
      ? html`${section(`${o.findings.length} finding(s)`)}${table(
          ["kind", "cell", "executions", "what it means"],
          o.findings.map((f) => [f.kind, f.cell_id ?? "", f.execution_counts.map((n) => `[${n}]`).join(" "), f.message]),
        )}`
      : code !== null && o.history_ts !== null
        ? html`<div>No findings: the cells ran once each, top to bottom.</div>`
        : ""
  }${
    file && code !== null
      ? html`${section(file)}<pre style="max-height: 32em; overflow: auto">${lines.slice(0, SHOWN_LINES).join("\n")}</pre>${
          lines.length > SHOWN_LINES ? html`<div>${lines.length - SHOWN_LINES} more lines.</div>` : ""
        }${note(`git show refs/dw/runs/${o.run_id}:${file}`)}`
      : html`<div>This run has no history or notebook: it was not made from a notebook kernel (or was made before dw kept them).</div>`
  }${o.previous ? note(`git diff refs/dw/runs/${o.previous.run_id} refs/dw/runs/${o.run_id} -- notebook.ts execution/history.ts`) : ""}`;
}
