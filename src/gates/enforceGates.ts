import { z } from "zod";
import { DwError } from "../errors/DwError.js";
import { documentText } from "../workspace/documentText.js";
import { worstStatus, type GateReport } from "../policy/GateReport.js";
import type { GateOverrideRecord } from "../policy/GateOverrideRecord.js";

/** The input field train_model and deploy_model take to go past a failed gate. */
export const OverrideReason = z
  .string()
  .trim()
  .min(10, "say why in at least 10 characters; the reason is recorded in the commit")
  .optional()
  .describe("Go past a failed quality, governance or cost gate, for this reason. The reason, who gave it and the gate reports are recorded in the commit.");

/**
 * Decides whether a step may go on after its gates ran: any failed gate blocks with GATE_FAILED,
 * carrying every report (so the user sees all reasons at once, not one per attempt), unless an
 * override reason is given. Returns the files to store in the commit: each gate's report, and
 * the override when one was used.
 */
export function enforceGates(
  step: "train_model" | "deploy_model" | "register_model",
  reports: readonly GateReport[],
  override: { reason?: string; by: string; at: Date },
): { files: Record<string, string>; override?: GateOverrideRecord } {
  const failed = reports.filter((r) => r.status === "fail");
  const files: Record<string, string> = {};
  for (const r of reports) files[`gates/${r.gate}.json`] = documentText(r);
  if (failed.length === 0) return { files };
  const findings = failed.flatMap((r) => r.findings.filter((f) => f.status === "fail").map((f) => ({ gate: r.gate, check: f.check, message: f.message })));
  if (override.reason === undefined) {
    const list = findings.map((f) => `[${f.gate}/${f.check}] ${f.message}`).join(" ");
    throw new DwError("GATE_FAILED", `${step} is blocked by the ${failed.map((r) => r.gate).join(" and ")} gate${failed.length > 1 ? "s" : ""}: ${list}`, {
      hint: `Fix what the report names and run again, or pass override_reason "<why this is acceptable>" to go ahead; the override is recorded in the commit with the reports.`,
      details: { report: { status: worstStatus(reports.map((r) => r.status)), gates: reports }, blocking: findings },
    });
  }
  const record: GateOverrideRecord = { reason: override.reason, by: override.by, at: override.at.toISOString(), gates: failed.map((r) => r.gate), findings };
  files["gates/override.json"] = documentText(record);
  return { files, override: record };
}
