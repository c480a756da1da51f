import { html, joinHtml, type Html } from "../../render/html.js";
import { fmt, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { getQualityScore } from "../getQualityScore.js";
import { dimensionsTable, qualityBadge } from "./qualityReport.js";

/** The overall score and status, the score of each dimension, and the checks that failed or warned. */
export function renderGetQualityScore(o: OutputOf<typeof getQualityScore>): Html {
  const codes = (names: string[]) =>
    joinHtml(
      names.map((f) => html`<code>${f}</code>`),
      ", ",
    );
  return html`${title(
    html`Quality score of <code>${o.dataset_id}</code>: ${fmt(o.scores.overall)} ${qualityBadge(o.status)}`,
    html`${o.failed.length} failed · ${o.warned.length} warned${o.reference_run ? html` · against run <code>${o.reference_run}</code>` : ""}`,
  )}${dimensionsTable(o.scores.dimensions)}${o.failed.length ? html`<div>failed: ${codes(o.failed)}</div>` : ""}${
    o.warned.length ? html`<div>warned: ${codes(o.warned)}</div>` : ""
  }`;
}
