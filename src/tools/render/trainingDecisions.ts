import { html, type Html, type HtmlValue } from "../../render/html.js";
import { kv, section, table } from "../../render/blocks.js";
import type { TrainingDecisions } from "../../training/TrainingDecisions.js";
import { gateBadge } from "./gateFindings.js";

/** Skipped columns shown in a notebook; the JSON output lists them all. */
const SHOWN_SKIPPED = 20;

const CHOSEN_BY: Record<TrainingDecisions["features"]["chosen_by"], string> = {
  asked: "as asked",
  pipeline: "the feature pipeline's",
  default: "dw's default choice",
};

/**
 * What a training decided and why, as train_model and retrain_model show it: the task and its
 * rule (a warning in the warning colour), the algorithm and why, the features used and the columns left out with their
 * reasons, and each gate's verdict.
 */
export function renderTrainingDecisions(d: TrainingDecisions): Html {
  const { task, features, algorithm } = d;
  const rows: [string, HtmlValue][] = [
    ["task", html`<strong>${task.value}</strong>: ${task.rule}`],
    ...(task.warning ? ([["warning", html`<span style="color: #a15c00">${task.warning}</span>`]] as [string, HtmlValue][]) : []),
    ...(algorithm ? ([["algorithm", html`<strong>${algorithm.value}</strong>: ${algorithm.rule}`]] as [string, HtmlValue][]) : []),
    ["features", html`${features.used.length} used (${CHOSEN_BY[features.chosen_by]}), ${features.skipped.length} left out`],
    ...d.gates.map((g): [string, HtmlValue] => [g.gate, html`${gateBadge(g.status)} ${g.summary}`]),
  ];
  const shown = features.skipped.slice(0, SHOWN_SKIPPED);
  const more = features.skipped.length - shown.length;
  const skipped = shown.length
    ? html`${table(
        ["column", "why it was left out"],
        shown.map((s): HtmlValue[] => [html`<code>${s.column}</code>`, s.reason]),
      )}${more > 0 ? html`<div style="opacity: 0.75">and ${more} more (decisions.features.skipped in the JSON output)</div>` : ""}`
    : "";
  return html`${section("What dw decided")}${kv(rows)}${skipped}`;
}
