import { html, type Html, type HtmlValue } from "../../render/html.js";
import { fmt, kv, note, num, section, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { retrainModel } from "../retrainModel.js";
import { renderTrainingDecisions } from "./trainingDecisions.js";

/** A retraining: the new run and its metrics, the comparison with the version serving, and the %dw lines to run next. */
export function renderRetrainModel(o: OutputOf<typeof retrainModel>): Html {
  const served = o.alias ? `${o.model}@${o.alias} (v${o.serving.version})` : `${o.model} v${o.serving.version}`;
  const data = html`<code>${o.dataset.dataset_id}</code> (${num(o.dataset.rows)} rows, ${o.dataset.changed ? "a newer version than v" + o.serving.version + " saw" : "the same data as v" + o.serving.version})`;
  const c = o.comparison;
  const comparison: Html[] = [];
  if (c) {
    const names = [...new Set([c.metric, ...Object.keys(c.serving), ...Object.keys(c.candidate)])].filter(
      (m) => c.serving[m] !== undefined && c.candidate[m] !== undefined,
    );
    comparison.push(
      section(c.basis === "labelled_window" ? `On ${c.rows} labelled requests` : "On each run's own held-out rows (too few labels)"),
      table(
        ["metric", `v${o.serving.version} (serving)`, "new run"],
        names.map((m): HtmlValue[] => [m === c.metric ? html`<strong>${m}</strong>` : m, fmt(c.serving[m]), fmt(c.candidate[m])]),
      ),
      html`<div>${c.summary}</div>`,
    );
  }
  return html`${title(html`Retrained ${served}: run <code>${o.run_id}</code>`, html`${o.algorithm} · ${o.task} · ${o.evaluation} · data ${data}`)}${kv([
    ...Object.entries(o.metrics).map(([k, v]): [string, HtmlValue] => [k, fmt(v)]),
    ["gates", o.gates.map((g) => `${g.gate} ${g.status}`).join(", ")],
    ...(o.override ? ([["override", `${o.override.gates.join(", ")} by ${o.override.by}: ${o.override.reason}`]] as [string, HtmlValue][]) : []),
  ])}${o.decisions ? renderTrainingDecisions(o.decisions) : ""}${comparison}${
    o.ab_test
      ? html`${section("A/B test started")}<div>${o.ab_test.model}@${o.ab_test.alias}: ${o.ab_test.arms.map((a) => `v${a.version} weight ${a.weight}`).join(" vs ")}, ${o.ab_test.min_sample_size} labelled rows per arm before a winner</div>`
      : ""
  }${o.next.length ? html`${section("Next")}<pre style="margin: 2px 0">${o.next.join("\n")}</pre>` : ""}${note(`git log refs/dw/runs/${o.run_id}`)}`;
}
