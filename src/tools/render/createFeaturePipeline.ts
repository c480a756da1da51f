import { html, type Html } from "../../render/html.js";
import { note, table, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { createFeaturePipeline } from "../createFeaturePipeline.js";

/** The pipeline's version and its steps; an interaction step says what it multiplies. */
export function renderCreateFeaturePipeline(o: OutputOf<typeof createFeaturePipeline>): Html {
  return html`${title(
    html`Feature pipeline <code>${o.name}</code> v${o.version}${o.created ? "" : " (unchanged)"}`,
    html`on dataset <code>${o.dataset_id}</code> · ${o.features.length} features`,
  )}${table(
    ["column", "transform"],
    o.steps.map((st) => [st.column, st.inputs ? `${st.transform} of ${st.inputs.join(" × ")}` : st.transform]),
  )}${note(`git log ${o.ref}`)}`;
}
