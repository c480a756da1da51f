import { html, type Html } from "../../render/html.js";
import { fmt, kv, num, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { logMetrics } from "../logMetrics.js";

/** The points this call logged on the run. */
export function renderLogMetrics(o: OutputOf<typeof logMetrics>): Html {
  return html`${title(
    html`Logged ${o.points.length} metric(s) on run <code>${o.run_id}</code>`,
    html`step ${o.step} · ${num(o.total_points)} points in all${o.experiment ? html` · experiment ${o.experiment}` : ""}`,
  )}${kv(o.points.map((p) => [p.key, fmt(p.value)]))}`;
}
