import { html, type Html } from "../../render/html.js";
import { fmt, kv, note, num, section, table, title } from "../../render/blocks.js";
import type { ColumnDescription, ColumnDrift } from "../../monitoring/DriftReport.js";
import type { OutputOf } from "../defineTool.js";
import type { detectModelDrift } from "../detectModelDrift.js";

const RED = "#b00020";
const GREEN = "#1b7f3b";

/** A drift report as a cell's output: the verdict, a table per column (test, statistic, p-value, threshold, reference vs current), the prediction, performance. */
export function renderDetectModelDrift(o: OutputOf<typeof detectModelDrift>): Html {
  const verdict = o.dataset_drift
    ? html`<strong style="color: ${RED}">dataset drift</strong>`
    : html`<strong style="color: ${GREEN}">no dataset drift</strong>`;
  const ref =
    o.reference.source === "run"
      ? html`the reference stored with run <code>${o.reference.run_id}</code>`
      : html`dataset <code>${o.reference.dataset_id}</code>`;
  const cur =
    o.current.source === "log"
      ? html`${num(o.current.rows)} logged rows of <code>${o.current.deployment}</code>${o.current.from ? html` (${o.current.from} – ${o.current.to})` : ""}`
      : html`dataset <code>${o.current.dataset_id}</code> (${num(o.current.rows)} rows)`;
  const rows = [...o.columns, ...(o.prediction ? [{ ...o.prediction, column: "(prediction)" }] : [])];
  return html`${title(html`Drift of <code>${o.model_id}</code>: ${verdict}`, html`${cur} against ${ref}`)}${kv([
    ["drifted", html`${num(o.drifted_columns.length)} of ${num(o.columns.length)} columns (${fmt(o.share_drifted)}; dataset drift at ${fmt(o.drift_share)})`],
    ["prediction", o.prediction ? badge(o.prediction) : "not compared"],
    ...(o.reference_origin === "rebuilt" ? [["reference", "built from the run's cached data (the run predates stored references)"] as const] : []),
  ])}${table(
    ["column", "method", "statistic", "p-value", "threshold", "drift", "reference", "current"],
    rows.map((c) => [
      c.column,
      c.method,
      fmt(c.statistic),
      c.p_value === null ? "" : fmt(c.p_value),
      fmt(c.threshold),
      badge(c),
      describe(c.reference),
      describe(c.current),
    ]),
  )}${
    o.performance
      ? html`${section(`Performance on ${o.performance.labelled_rows} labelled rows`)}${table(
          ["metric", "now", "hold-out", "change"],
          Object.entries(o.performance.metrics).map(([k, v]) => [k, fmt(v), fmt(o.performance!.reference_metrics[k]), fmt(o.performance!.change[k])]),
        )}`
      : ""
  }${o.skipped.map((s) => note(html`${s.column} not compared: ${s.reason}`))}`;
}

function badge(c: ColumnDrift): Html {
  return c.drifted ? html`<strong style="color: ${RED}">drifted</strong>` : html`<span style="color: ${GREEN}">ok</span>`;
}

function describe(d: ColumnDescription): Html {
  if (d.top) return html`${d.top.map((t) => `${t.value} ${Math.round(t.share * 100)}%`).join(", ")}`;
  return html`mean ${fmt(d.mean ?? null)} ± ${fmt(d.std ?? null)}`;
}
