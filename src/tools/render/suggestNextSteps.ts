import { html, type Html } from "../../render/html.js";
import { note, table, title } from "../../render/blocks.js";
import type { SuggestNextStepsOutput } from "../suggestNextSteps.js";

/** The steps as a cell's output: what, why, and the tool call (its input as JSON) or the report that does it. */
export function renderSuggestNextSteps(o: SuggestNextStepsOutput): Html {
  if (!o.steps.length)
    return html`${title("Next steps", "nothing waits")}${note("train_model a run, then productionize it: the rules are in docs/next-steps.md")}`;
  return html`${title("Next steps", `${o.steps.length} proposed, by the rules in docs/next-steps.md`)}${table(
    ["step", "why", "do"],
    o.steps.map((s) => [
      html`<strong>${s.title}</strong><div style="opacity: 0.6"><code>${s.rule}</code></div>`,
      s.reason,
      s.action.kind === "tool"
        ? html`<code>${s.action.tool}</code> <code>${JSON.stringify(s.action.input)}</code>`
        : html`<code>git show ${s.action.commit.slice(0, 12)}:gates/${s.action.gate}.json</code>`,
    ]),
  )}`;
}
