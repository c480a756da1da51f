import { html, type Html } from "../../render/html.js";
import { note, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { createExperiment } from "../createExperiment.js";

/** The experiment, whether this call made it, and how many runs it has. */
export function renderCreateExperiment(o: OutputOf<typeof createExperiment>): Html {
  return html`${title(
    html`Experiment <code>${o.name}</code>${o.created ? " created" : " (exists)"}`,
    html`${o.runs.length} run(s)${o.description ? html` · ${o.description}` : ""}`,
  )}${note(`git log ${o.ref}`)}`;
}
