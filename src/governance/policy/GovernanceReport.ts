import { z } from "zod";
import { GateReport, worstStatus, type GateFinding } from "../../policy/GateReport.js";
import { PiiFinding } from "../pii/PiiFinding.js";

/**
 * The governance gate's report: a GateReport (gate "governance") plus the decision. deny: a rule
 * is broken (fix it); review: an approval is needed and missing (request_governance_review);
 * allow: go ahead. deny and review have status fail, so enforceGates blocks both.
 */
export const GovernanceReport = GateReport.extend({
  gate: z.literal("governance"),
  decision: z.enum(["allow", "deny", "review"]),
  reasons: z.array(z.string()).describe("Why, one line per rule that did not pass (or the one line saying all did)."),
  subject: z.object({
    kind: z.enum(["training", "deployment"]),
    dataset_id: z.string().optional(),
    features: z.array(z.string()).optional(),
    target: z.string().optional(),
    model_name: z.string().optional(),
    version: z.number().int().optional(),
    alias: z.string().optional(),
    run_id: z.string().optional(),
  }),
  pii: z.array(PiiFinding).optional().describe("PII found in the feature columns (training checks)."),
  model_card: z.record(z.string(), z.string()).optional().describe("The version's model card as found (deployment checks)."),
  review: z
    .object({
      decision: z.enum(["approve", "reject"]),
      reviewer: z.string(),
      reason: z.string(),
      reviewed_at: z.string(),
      alias: z.string().optional(),
      commit: z.string(),
    })
    .optional()
    .describe("The review that applies to this version and alias, if any."),
  policy_file: z.string().nullable().describe("dw.policy.yaml's path, or null when the defaults applied."),
});
export type GovernanceReport = z.infer<typeof GovernanceReport>;

/** A finding plus what breaking it means: deny (a rule) or review (an approval is missing). */
export type RuledFinding = GateFinding & { outcome?: "deny" | "review" };

/** Decision, status, reasons and summary from the findings. */
export function decide(findings: RuledFinding[], what: string): Pick<GovernanceReport, "decision" | "status" | "reasons" | "summary" | "findings"> {
  const failing = findings.filter((f) => f.status === "fail");
  const decision = failing.some((f) => f.outcome !== "review") ? "deny" : failing.length ? "review" : "allow";
  const status = worstStatus(findings.map((f) => f.status));
  const reasons = findings.filter((f) => f.status !== "pass").map((f) => f.message);
  const plain = findings.map(({ outcome: _o, ...f }) => f);
  const verdict =
    decision === "allow" ? (status === "warn" ? "allowed, with warnings" : "allowed") : decision === "deny" ? "denied" : "needs an approved review";
  return {
    decision,
    status,
    reasons: reasons.length ? reasons : [`Every governance rule passed for ${what}.`],
    summary: `Governance: ${what} is ${verdict} (${findings.length} check${findings.length === 1 ? "" : "s"}, ${failing.length} failing).`,
    findings: plain,
  };
}
