import { html, type Html } from "../../render/html.js";
import { fmt, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { compareExperiments } from "../compareExperiments.js";

/** The runs ranked by the metric with each one's gap to the best, then the parameters that differ between them. */
export function renderCompareExperiments(o: OutputOf<typeof compareExperiments>): Html {
  const metricNames = [...new Set(o.runs.flatMap((r) => Object.keys(r.metrics)))];
  const short = (id: string) => html`<code>${id}</code>`;
  return html`${title(
    html`Comparison${o.experiment ? html` of <code>${o.experiment}</code>` : ""}`,
    html`ranked by ${o.metric} (${o.higher_is_better ? "higher" : "lower"} is better) · best ${short(o.best_run_id)}`,
  )}${table(
    ["rank", "run", "algorithm", ...metricNames.flatMap((m) => [m, `Δ ${m}`])],
    o.runs.map((r) => [r.rank ?? "–", short(r.run_id), r.algorithm, ...metricNames.flatMap((m) => [fmt(r.metrics[m]), fmt(r.delta_vs_best[m])])]),
  )}${
    o.differing_parameters.length
      ? html`${section("Parameters that differ")}${table(
          ["parameter", ...o.runs.map((r) => short(r.run_id))],
          o.differing_parameters.map((d) => [d.parameter, ...o.runs.map((r) => JSON.stringify(d.values[r.run_id] ?? null))]),
        )}`
      : ""
  }`;
}
