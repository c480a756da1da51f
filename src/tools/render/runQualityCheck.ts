import { html, type Html } from "../../render/html.js";
import { fmt, note, num, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { runQualityCheck } from "../runQualityCheck.js";
import { dimensionsTable, findingsTable, qualityBadge } from "./qualityReport.js";

/** The overall score and status, the score of each dimension, and every finding. */
export function renderRunQualityCheck(o: OutputOf<typeof runQualityCheck>): Html {
  const against = o.reference_run
    ? html`compared with the training data of run <code>${o.reference_run}</code>`
    : "no earlier training of this dataset to compare with";
  return html`${title(
    html`Quality of <code>${o.dataset_id}</code>: ${qualityBadge(o.status)} score ${fmt(o.scores.overall)}`,
    html`${num(o.rows)} rows · ${o.columns_checked.length} columns checked${o.target ? html` · target <code>${o.target}</code>` : ""} · ${against}`,
  )}${dimensionsTable(o.scores.dimensions)}${findingsTable(o.findings)}${note(
    html`profiled ${o.source === "sql" ? "in the database" : "in memory"} in ${fmt(o.timings_ms.profile)} ms · thresholds from dw.policy.yaml (quality:) or the defaults`,
  )}`;
}
