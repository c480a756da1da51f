import { html, type Html } from "../../render/html.js";
import { kv, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { reproduceRun } from "../reproduceRun.js";

/** The verdict first; then the differences, each named, the metrics side by side, and the environment changes. */
export function renderReproduceRun(o: OutputOf<typeof reproduceRun>): Html {
  const colour = o.identical ? "var(--jp-success-color1, #2e7d32)" : "var(--jp-error-color1, #c62828)";
  const value = (v: unknown) => (v === undefined ? "" : html`<code>${JSON.stringify(v)}</code>`);
  return html`${title(html`Reproduction of <code>${o.run_id}</code>`, html`<span style="color: ${colour}">${o.verdict}</span>`)}${kv([
    [
      "model.json sha256",
      html`stored <code>${o.model_json.stored_sha256.slice(0, 16)}</code> · rebuilt <code>${o.model_json.rebuilt_sha256.slice(0, 16)}</code>`,
    ],
    ["bytes", `${o.model_json.bytes.toLocaleString("en-US")} stored · ${o.model_json.rebuilt_bytes.toLocaleString("en-US")} rebuilt`],
    [
      "data",
      html`${o.data.dataset_id} · <code>${o.data.sha256.slice(0, 12)}</code> · from the ${o.data.found_in === "cache" ? "cache" : html`source file ${o.data.source}`}`,
    ],
    [
      "environment",
      !o.environment.recorded ? "not recorded by this run" : o.environment.same ? "the same as the run's" : `${o.environment.changes.length} field(s) changed`,
    ],
  ])}${
    o.differences.length
      ? html`${section("What differs")}${table(
          ["kind", "where", "stored", "rebuilt", "what"],
          o.differences.map((d) => [d.kind, html`<code>${d.path}</code>`, value(d.stored), value(d.rebuilt), d.message]),
        )}`
      : ""
  }${section("Metrics")}${table(
    ["metric", "stored", "rebuilt", "equal"],
    o.metrics.map((m) => [m.name, String(m.stored), String(m.rebuilt), m.equal ? "yes" : "no"]),
  )}`;
}
