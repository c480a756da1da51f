import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { OverrideReason } from "../gates/enforceGates.js";
import { GateStatus } from "../policy/GateReport.js";
import { confirmServing } from "../server/confirmServing.js";
import { MonitoringStartSummary } from "../monitoring/monitor/MonitoringStartSummary.js";

export const DeployModelInput = z.strictObject({
  model_name: z.string().min(1).describe("Registered model to deploy."),
  version: z.number().int().min(1).optional().describe("Version to deploy; defaults to the newest."),
  alias: z.string().default("production").describe("Alias the endpoint serves, e.g. production or staging; it is moved to the version."),
  override_reason: OverrideReason,
});
export type DeployModelInput = z.infer<typeof DeployModelInput>;

export const DeployModelOutput = z.object({
  model_name: z.string(),
  version: z.number().int(),
  alias: z.string(),
  previous_version: z.number().int().nullable().describe("The version the alias pointed at before, if any."),
  endpoint_url: z.string().describe("MLflow scoring URL for the alias: POST JSON here."),
  version_url: z.string().describe("MLflow scoring URL pinned to this version."),
  server_url: z.string(),
  curl: z.string().describe("A ready-to-paste request with one example row."),
  deployed_at: z.string(),
  governance: z
    .object({ status: GateStatus, decision: z.enum(["allow", "deny", "review"]), summary: z.string() })
    .describe("The governance and policy gate run before deploying; its full report is gates/governance.json in the deployment commit."),
  override: z.object({ reason: z.string(), by: z.string() }).optional().describe("Set when a failed governance gate was overridden with override_reason."),
  monitoring: MonitoringStartSummary,
  superseded_by: z
    .number()
    .int()
    .optional()
    .describe(
      "Set when another deployment moved the alias on to this version before this call returned: this version was deployed, and the alias now serves that one.",
    ),
});
export type DeployModelOutput = z.infer<typeof DeployModelOutput>;

/**
 * Deploys a registered model version behind the workspace's `dw serve`: moves the alias to the
 * version, records the deployment under refs/dw/deployments/<name>/<alias>, starts drift
 * monitoring (a commit on refs/dw/monitoring/<name>/<alias>; the server then checks the logged
 * requests on the policy's schedule), starts the server if none runs, and checks the endpoint
 * answers with that version before returning.
 *
 * @example
 * ```ts
 * const d = await dw.deployModel({ model_name: "temp", alias: "production" });
 * d.endpoint_url; // http://127.0.0.1:PORT/models/temp@production/invocations
 * ```
 */
export const deployModel = defineTool({
  name: "deploy_model",
  annotations: { effect: "serves", long: true },
  description: "Deploy a registered model version to an HTTP endpoint (MLflow scoring protocol) under an alias such as production.",
  input: DeployModelInput,
  output: DeployModelOutput,
  magic: { aliases: { name: "model_name" } },
  async run(input, ctx) {
    const { deployVersion, startDeployMonitoring } = await import("../deployment/deployVersion.js");
    const d = await deployVersion(ctx, { model: input.model_name, version: input.version, alias: input.alias, overrideReason: input.override_reason });
    const served = await confirmServing(await ctx.ensureServer(), { model: input.model_name, alias: input.alias, version: d.info.version, json: d.model.json });
    const monitoring = await startDeployMonitoring(ctx, d, input.model_name, input.alias);
    return {
      model_name: input.model_name,
      version: d.info.version,
      alias: input.alias,
      previous_version: d.previous,
      endpoint_url: served.endpoint_url,
      version_url: served.version_url,
      server_url: served.server_url,
      curl: served.curl,
      deployed_at: d.deployed_at,
      governance: { status: d.report.status, decision: d.report.decision, summary: d.report.summary },
      ...(d.override ? { override: { reason: d.override.reason, by: d.override.by } } : {}),
      monitoring,
      ...(served.superseded_by !== undefined ? { superseded_by: served.superseded_by } : {}),
    };
  },
});
