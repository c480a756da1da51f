import { html, type Html } from "../../render/html.js";
import { note, section, table } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { productionize } from "../productionize.js";
import type { StepProgress } from "../../workspace/StepProgress.js";
import { renderEndpoint } from "./endpoint.js";

/** The run's alias now live, its URLs and a curl to paste, then each step it took with its status and time. */
export function renderProductionize(o: OutputOf<typeof productionize>): Html {
  const override = o.override ? note(html`Governance gate overridden by ${o.override.by}: ${o.override.reason}`) : html``;
  return html`${renderEndpoint(o)}${override}${renderSteps(o.steps)}`;
}

/** The steps of productionize as a table: step, status, seconds, what it found. */
export function renderSteps(steps: readonly StepProgress[]): Html {
  return html`${section("Steps")}${table(
    ["step", "status", "seconds", "detail"],
    steps.map((s) => [s.name, s.status, s.seconds === undefined ? "" : s.seconds.toFixed(2), s.detail ?? ""]),
  )}`;
}
