/**
 * The gates as the sidebar's Gates panel and get_gate_reports show them: the newest report of each
 * gate, every override with who and why, and governance approvals (requested, approved, rejected).
 * This file imports nothing but zod and zod-only schemas, so that the labextension can compile it
 * too (through src/comm/protocol.ts).
 */
import { z } from "zod";
import { GateReport } from "./GateReport.js";

/** Which step ran a gate, on what. */
export const GateSubject = z.object({
  step: z.enum(["train_model", "register_model", "deploy_model"]),
  run_id: z.string().optional(),
  model: z.string().optional(),
  version: z.number().int().optional(),
  alias: z.string().optional(),
  commit: z.string().describe("The run or deployment commit that stores the report."),
});
export type GateSubject = z.infer<typeof GateSubject>;

export const GateEvent = GateReport.extend({ subject: GateSubject });
export type GateEvent = z.infer<typeof GateEvent>;

export const OverrideEvent = z.object({
  by: z.string(),
  reason: z.string(),
  at: z.string(),
  gates: z.array(z.string()).describe("The gates that had failed and were overridden."),
  findings: z.array(z.object({ gate: z.string(), check: z.string(), message: z.string() })),
  subject: GateSubject,
});
export type OverrideEvent = z.infer<typeof OverrideEvent>;

export const ApprovalEvent = z.object({
  model: z.string(),
  version: z.number().int(),
  alias: z.string().optional().describe("The alias the approval is for; absent: every alias."),
  state: z.enum(["requested", "approved", "rejected"]).describe("requested: asked for and not yet decided."),
  by: z.string().describe("Who asked (requested) or who decided."),
  reason: z.string(),
  at: z.string(),
  commit: z.string(),
});
export type ApprovalEvent = z.infer<typeof ApprovalEvent>;

export const GateActivity = z.object({
  latest: z.array(GateEvent).describe("The newest report of each gate (quality, governance, cost), newest first."),
  overrides: z.array(OverrideEvent).describe("Failed gates let through with a reason, newest first."),
  approvals: z.array(ApprovalEvent).describe("The newest review or request of each model version (and alias), newest first."),
});
export type GateActivity = z.infer<typeof GateActivity>;
