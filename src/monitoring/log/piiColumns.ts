import type { Workspace } from "../../workspace/Workspace.js";
import { GovernanceReport } from "../../governance/policy/GovernanceReport.js";
import { RUN_ID, runRef } from "../../runs/runId.js";

/** The PII columns of a run's features, or null when the run has no governance report to say. */
export type PiiColumns = ReadonlySet<string> | null;

/**
 * The feature columns the training's governance scan marked as PII (gates/governance.json in the
 * run commit): every finding at or above the policy's confidence, forbidden ones that an override
 * let through and allowed ones alike. Null when the run has no report (trained before the gates).
 */
export async function piiColumns(ws: Workspace, runId: string): Promise<PiiColumns> {
  if (!RUN_ID.test(runId)) return null;
  const oid = await ws.readRef(runRef(runId));
  if (!oid) return null;
  const report = await ws.readDocument(GovernanceReport, oid, "gates/governance.json", runRef(runId));
  if (!report) return null;
  const columns = new Set<string>((report.pii ?? []).map((f) => f.column));
  for (const f of report.findings)
    if ((f.check === "pii_feature" || f.check === "pii_feature_allowed") && f.status !== "pass" && f.column) columns.add(f.column);
  return columns;
}
