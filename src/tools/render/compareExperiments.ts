import { html, type Html } from "../../render/html.js";
import { fmt, kv, section, table, title } from "../../render/blocks.js";
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
  }${o.data_diff ? dataDiff(o.data_diff) : ""}${o.code_diff ? codeDiff(o.code_diff) : ""}`;
}

type Output = OutputOf<typeof compareExperiments>;

/** The data each run saw, and what changed from the older to the newer. */
function dataDiff(d: NonNullable<Output["data_diff"]>): Html {
  const side = (s: typeof d.from) => html`${s.dataset_id} · ${s.rows.toLocaleString("en-US")} rows · <code>${s.sha256.slice(0, 12)}</code>`;
  const types = d.columns_type_changed.map((c) => `${c.column} (${c.from} → ${c.to})`);
  return html`${section("Data")}${kv([
    [d.from_run, side(d.from)],
    [d.to_run, side(d.to)],
    ["same bytes", d.same_data ? "yes" : html`no (rows ${d.rows_change >= 0 ? "+" : ""}${d.rows_change})`],
    ...(d.columns_added.length ? [["columns added", d.columns_added.join(", ")] as const] : []),
    ...(d.columns_removed.length ? [["columns removed", d.columns_removed.join(", ")] as const] : []),
    ...(types.length ? [["type changed", types.join(", ")] as const] : []),
  ])}`;
}

/** The training cell's diff, lines coloured by what happened to them (theme variables, so both themes read). */
function codeDiff(c: NonNullable<Output["code_diff"]>): Html {
  if (c.status !== "different") {
    return html`${section("Code")}<div>${c.status === "same" ? "The two runs' cells are the same." : (c.note ?? c.status)}</div>`;
  }
  // The first two lines are the ---/+++ headers; a removed line may itself begin with "--".
  const colour = (line: string, i: number) =>
    i < 2
      ? "inherit"
      : line.startsWith("+")
        ? "var(--jp-success-color0, green)"
        : line.startsWith("-")
          ? "var(--jp-error-color0, #c00)"
          : line.startsWith("@@")
            ? "var(--jp-info-color0, #06c)"
            : "inherit";
  return html`${section(`Code: +${c.added} −${c.removed} lines`)}<pre style="margin: 2px 0">${c.diff
    .replace(/\n$/, "")
    .split("\n")
    .map((line, i) => html`<span style="color: ${colour(line, i)}">${line}</span>\n`)}</pre>`;
}
