import { html, type Html } from "../../render/html.js";
import { kv, note, title } from "../../render/blocks.js";
import type { RequestApprovalOutput } from "../requestApproval.js";

/** The request recorded (or found waiting): which version, for which alias, who asked and why, and how a reviewer answers. */
export function renderRequestApproval(o: RequestApprovalOutput): Html {
  return html`${title(
    html`Approval ${o.already_requested ? "already requested" : "requested"} for <code>${o.model_name}</code> v${o.version}${o.alias ? html` → <code>${o.alias}</code>` : " (every alias)"}`,
    `by ${o.requested_by} at ${o.requested_at} · commit ${o.commit.slice(0, 12)} on ${o.ref}`,
  )}${kv([
    ["why", o.reason],
    ["a reviewer answers with", html`<code>${o.decide}</code>`],
  ])}${note(`git log ${o.ref}`)}`;
}
