import { z } from "zod";
import { GateStatus } from "../policy/GateReport.js";
import { MonitoringStatus } from "../monitoring/monitor/MonitoringStatus.js";
import { AbTestSummary } from "../monitoring/abtest/AbTestSummary.js";

/** One gate a deployed version went through, as its report was recorded: at deployment (deploy_model's gate) or at training (train_model's). */
export const GateOutcome = z.object({
  step: z.enum(["deploy", "training"]).describe("deploy: recorded in the deployment commit; training: in the run commit of the version."),
  gate: z.string().describe("quality, governance or cost."),
  status: GateStatus,
  decision: z.string().optional().describe("The governance gate's decision: allow, deny or review."),
  summary: z.string(),
  findings: z
    .array(z.object({ check: z.string(), status: GateStatus, message: z.string() }))
    .describe("The findings that did not pass (warn or fail); a passed check is left out."),
});
export type GateOutcome = z.infer<typeof GateOutcome>;

/** A failed gate that someone let pass, with their reason. */
export const GateOverride = z.object({
  step: z.enum(["deploy", "training"]),
  by: z.string(),
  reason: z.string(),
  at: z.string(),
  gates: z.array(z.string()).describe("The gates that had failed."),
});
export type GateOverride = z.infer<typeof GateOverride>;

/** A deployed alias as its records say: which version it serves since when, the gates that version passed, and its drift monitoring. */
export const DeploymentRecordStatus = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.number().int().describe("The version the alias serves."),
  run_id: z.string().nullable().describe("The run the version was registered from (null when its registration cannot be read)."),
  since: z
    .string()
    .nullable()
    .describe("When the alias began serving this version: the first of the deployment commits in a row that name it (null when the last one cannot be read)."),
  deployment_commit: z.string().describe("The last deployment commit (refs/dw/deployments/<model>/<alias>), whose gate reports are listed."),
  gates: z.array(GateOutcome),
  overrides: z.array(GateOverride).describe("Failed gates let pass with a reason, at deployment or at training."),
  monitoring: MonitoringStatus.describe("Drift monitoring of this deployment, from the newest commit on refs/dw/monitoring/<model>/<alias>."),
  ab_test: AbTestSummary.nullable().describe(
    "The A/B test running behind this alias (refs/dw/abtests/<model>/<alias>), or null; ab_test_models --action status gives its results.",
  ),
  error: z.string().optional().describe("Set when part of the record cannot be read (a damaged ref or report): what is wrong."),
});
export type DeploymentRecordStatus = z.infer<typeof DeploymentRecordStatus>;
