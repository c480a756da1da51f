import { z } from "zod";

/**
 * What every gate (quality, governance, cost) returns, and what train_model and deploy_model store
 * in the run commit under `gates/<gate>.json`. A gate report is data: a blocked step is a GATE_FAILED
 * result carrying the reports, never an exception the user cannot read.
 */
export const GateStatus = z.enum(["pass", "warn", "fail"]).describe("fail blocks the step (unless overridden with a reason); warn is reported and recorded.");
export type GateStatus = z.infer<typeof GateStatus>;

export const GateFinding = z.object({
  check: z.string().describe("Stable id of the check or rule, e.g. null_rate, pii_feature, min_metric."),
  status: GateStatus,
  message: z.string().describe("What was found, where, and what to do, in one or two sentences."),
  column: z.string().optional(),
  value: z.union([z.number(), z.string()]).optional().describe("The measured number behind the status."),
  threshold: z.union([z.number(), z.string()]).optional().describe("The limit it was compared with (from dw.policy.yaml or the default)."),
  rows: z.array(z.number().int()).optional().describe("Up to 10 (0-based) rows at fault, where rows can be named."),
  columns: z.array(z.string()).optional().describe("Columns at fault, when the finding is about several."),
});
export type GateFinding = z.infer<typeof GateFinding>;

export const GateReport = z.object({
  gate: z.enum(["quality", "governance", "cost"]),
  status: GateStatus.describe("The worst status among the findings."),
  summary: z.string().describe("One line: what was checked and the outcome."),
  findings: z.array(GateFinding),
  checked_at: z.string(),
});
export type GateReport = z.infer<typeof GateReport>;

/** The worst of some statuses: fail over warn over pass. */
export function worstStatus(statuses: Iterable<GateStatus>): GateStatus {
  let worst: GateStatus = "pass";
  for (const s of statuses) {
    if (s === "fail") return "fail";
    if (s === "warn") worst = "warn";
  }
  return worst;
}
