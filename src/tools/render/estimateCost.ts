import { html, type Html, type HtmlValue } from "../../render/html.js";
import { fmt, kv, note, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { estimateCost } from "../estimateCost.js";
import { gateBadge, gateFindingsTable } from "./gateFindings.js";

/** The predicted time, memory and price of a training, the cost gate's findings, and the machine it was calibrated on. */
export function renderEstimateCost(o: OutputOf<typeof estimateCost>): Html {
  const e = o.estimate;
  const mem = e.memory_breakdown_gb;
  const cal = e.calibration;
  const rows: [string, HtmlValue][] = [
    ["training time", html`${fmt(e.train_seconds)} s`],
    [
      "peak memory",
      html`${fmt(e.peak_memory_gb)} GB <span style="opacity: 0.7">(process ${fmt(mem.process)} + data ${fmt(mem.data)} + matrix ${fmt(mem.feature_matrix)} + fit ${fmt(mem.fit)})</span>`,
    ],
  ];
  if (e.cost_usd !== undefined) rows.push(["cost", html`$${fmt(e.cost_usd)} at $${fmt(e.price_per_hour_usd)}/hour`]);
  return html`${title(html`Cost ${gateBadge(o.status)}: <code>${e.algorithm}</code> on ${fmt(e.rows)} × ${fmt(e.features)}`, o.summary)}${kv(rows)}${gateFindingsTable(
    o.findings,
  )}${e.notes.map((n) => html`<div style="opacity: 0.75">${n}</div>`)}${note(
    `calibrated ${cal.fresh ? "now" : cal.calibrated_at} on ${cal.cpu_model} × ${cal.cpus} (${cal.took_s} s) · ${cal.file}`,
  )}`;
}
