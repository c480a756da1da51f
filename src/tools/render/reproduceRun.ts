import { html, type Html } from "../../render/html.js";
import { kv, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { reproduceRun } from "../reproduceRun.js";

/** The verdict first; then the differences, each named, the metrics side by side, and the environment changes. */
export function renderReproduceRun(o: OutputOf<typeof reproduceRun>): Html {
  const good = o.identical || o.tolerance?.within === true;
  const colour = good ? "var(--jp-success-color1, #2e7d32)" : "var(--jp-error-color1, #c62828)";
  // A run trained inside a database has no data file: its SQL ran again against the table.
  const where = o.tolerance
    ? html`the table, queried again (${o.data.source})`
    : o.data.found_in === "cache"
      ? "the cache"
      : html`the source file ${o.data.source}`;
  const value = (v: unknown) => (v === undefined ? "" : html`<code>${JSON.stringify(v)}</code>`);
  return html`${title(html`Reproduction of <code>${o.run_id}</code>`, html`<span style="color: ${colour}">${o.verdict}</span>`)}${kv([
    [
      "model.json sha256",
      html`stored <code>${o.model_json.stored_sha256.slice(0, 16)}</code> · rebuilt <code>${o.model_json.rebuilt_sha256.slice(0, 16)}</code>`,
    ],
    ["bytes", `${o.model_json.bytes.toLocaleString("en-US")} stored · ${o.model_json.rebuilt_bytes.toLocaleString("en-US")} rebuilt`],
    ["data", html`${o.data.dataset_id} · <code>${o.data.sha256.slice(0, 12)}</code> · from ${where}`],
    ...(o.tolerance
      ? ([
          [
            "tolerance",
            `relative ${o.tolerance.relative} · largest difference ${o.tolerance.largest_relative.toPrecision(2)} · ${o.tolerance.within ? "within" : "not within"}`,
          ],
        ] as [string, string][])
      : []),
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
