import { html, type Html } from "../../render/html.js";
import { kv, note, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { requestGovernanceReview } from "../requestGovernanceReview.js";

/** The review recorded: who decided what on which version, and why. */
export function renderRequestGovernanceReview(o: OutputOf<typeof requestGovernanceReview>): Html {
  return html`${title(
    html`${o.decision === "approve" ? "Approved" : "Rejected"} <code>${o.model_name}</code> v${o.version}${o.alias ? html` for <code>${o.alias}</code>` : ""}`,
    `by ${o.reviewer} at ${o.reviewed_at} · commit ${o.commit.slice(0, 12)} on ${o.ref}`,
  )}${kv([["why", o.reason]])}${note(`git log ${o.ref}`)}`;
}
