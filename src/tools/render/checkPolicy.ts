import { html, type Html } from "../../render/html.js";
import { kv, note, section, title } from "../../render/blocks.js";
import type { OutputOf } from "../defineTool.js";
import type { checkPolicy } from "../checkPolicy.js";
import { gateBadge, gateFindingsTable } from "./gateFindings.js";

/** The decision on a training or a deployment, the rules' findings, the review that applies, and the policy file. */
export function renderCheckPolicy(o: OutputOf<typeof checkPolicy>): Html {
  const s = o.subject;
  const what =
    s.kind === "training"
      ? html`training on <code>${s.dataset_id}</code>`
      : html`deploying <code>${s.model_name}</code> v${s.version}${s.alias ? html` → <code>${s.alias}</code>` : ""}`;
  const review = o.review;
  return html`${title(html`Governance ${gateBadge(o.decision)}: ${what}`, o.summary)}${gateFindingsTable(o.findings)}${
    review
      ? html`${section("Review")}${kv([
          ["decision", review.decision],
          ["by", review.reviewer],
          ["when", review.reviewed_at],
          ["why", review.reason],
        ])}`
      : ""
  }${note(o.policy_file ? `policy: ${o.policy_file}` : "policy: defaults (no governance: section in dw.policy.yaml)")}`;
}
