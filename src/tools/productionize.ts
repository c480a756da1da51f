import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { OverrideReason } from "../gates/enforceGates.js";
import { GateStatus } from "../policy/GateReport.js";
import { stepLog } from "../deployment/stepLog.js";
import { confirmServing } from "../server/confirmServing.js";
import { MonitoringStartSummary } from "../monitoring/monitor/MonitoringStartSummary.js";
import { StepProgress } from "../workspace/StepProgress.js";

export const ProductionizeInput = z.strictObject({
  run_id: z.string().min(1).describe("The training run whose model goes to production."),
  model_name: z.string().optional().describe("Registered model name; defaults to the name the run is already registered under, else the run's target."),
  alias: z.string().default("production").describe("Alias the endpoint serves."),
  override_reason: OverrideReason,
});
export type ProductionizeInput = z.infer<typeof ProductionizeInput>;

export const ProductionizeOutput = z.object({
  run_id: z.string(),
  model_name: z.string(),
  version: z.number().int(),
  newly_registered: z.boolean().describe("False when the run was already registered and that version was reused."),
  alias: z.string(),
  endpoint_url: z.string(),
  version_url: z.string(),
  curl: z.string(),
  governance: z
    .object({ status: GateStatus, decision: z.enum(["allow", "deny", "review"]), summary: z.string() })
    .describe("The deploy gate (governance and policy) on the version for the alias; its full report is gates/governance.json in the deployment commit."),
  override: z
    .object({ reason: z.string(), by: z.string() })
    .optional()
    .describe("Set when a failed deploy gate was let through with override_reason; recorded as gates/override.json in the deployment commit."),
  monitoring: MonitoringStartSummary,
  steps: z
    .array(StepProgress)
    .describe(
      "Each step as it ended, in order: snapshot, quality, cost, register, governance, deploy, monitoring. A blocked gate's error carries the steps so far in details.steps.",
    ),
});
export type ProductionizeOutput = z.infer<typeof ProductionizeOutput>;

/**
 * What the Productionize button does, one step at a time, each reported as it starts and ends
 * (progress with its `step`, and `steps` in the output): snapshot (the run commit), quality and
 * cost (the training's gate reports), register (or reuse the version the run is registered as),
 * governance (the deploy gate; a block is GATE_FAILED with the steps so far, unless
 * override_reason lets it through, recorded in the deployment commit), deploy (the alias moved and
 * the server answering with the version) and monitoring (drift checks started).
 *
 * @example
 * ```ts
 * const p = await dw.productionize({ run_id: run.run_id });
 * p.endpoint_url; p.steps.map((s) => `${s.name} ${s.status}`);
 * ```
 */
export const productionize = defineTool({
  name: "productionize",
  annotations: { effect: "serves", long: true },
  description:
    "Register a training run's model (reusing an existing registration of the same run) and deploy it under an alias, in one step, reporting each step (snapshot, quality, cost, register, governance, deploy, monitoring) as it goes.",
  input: ProductionizeInput,
  output: ProductionizeOutput,
  magic: { positional: "run_id" },
  async run(input, ctx) {
    const { PRODUCTIONIZE_STEPS, productionizeRun } = await import("../deployment/productionizeRun.js");
    const { deployVersion, startDeployMonitoring } = await import("../deployment/deployVersion.js");
    const log = stepLog(ctx, PRODUCTIONIZE_STEPS.length);
    return log.carry(async () => {
      const plan = await productionizeRun(
        ctx,
        {
          runId: input.run_id,
          modelName: input.model_name,
          alias: input.alias,
          notebook: ctx.origin?.notebook?.content,
          overrideReason: input.override_reason,
        },
        log,
      );
      const label = `${plan.modelName}@${input.alias}`;
      const { deployment, served } = await log.run("deploy", async () => {
        const deployment = await deployVersion(ctx, {
          model: plan.modelName,
          version: plan.version,
          alias: input.alias,
          overrideReason: input.override_reason,
        });
        const served = await confirmServing(await ctx.ensureServer(), {
          model: plan.modelName,
          alias: input.alias,
          version: plan.version,
          json: deployment.model.json,
        });
        const was = deployment.previous !== null && deployment.previous !== plan.version ? ` (was v${deployment.previous})` : "";
        const detail =
          served.superseded_by !== undefined
            ? `${label} moved to v${plan.version}, then on to v${served.superseded_by} by another deployment; the server answers with v${served.superseded_by}.`
            : `${label} moved to v${plan.version}${was}; the server answers at ${served.endpoint_url}.`;
        return { value: { deployment, served }, end: { status: "passed", detail } };
      });
      const monitoring = await log.run("monitoring", async () => {
        const m = await startDeployMonitoring(ctx, deployment, plan.modelName, input.alias);
        const s = m.schedule;
        return {
          value: m,
          end:
            m.state === "started"
              ? {
                  status: "passed",
                  detail: `drift checks of v${m.version} every ${s.every_requests} logged rows or ${s.every_minutes} minutes; git log ${m.ref}.`,
                }
              : { status: "warned", detail: `not started: ${label} was undeployed meanwhile.` },
        };
      });
      const g = plan.governance;
      return {
        run_id: plan.run.run_id,
        model_name: plan.modelName,
        version: plan.version,
        newly_registered: plan.newlyRegistered,
        alias: input.alias,
        endpoint_url: served.endpoint_url,
        version_url: served.version_url,
        curl: served.curl,
        governance: { status: g.status, decision: g.decision, summary: g.summary },
        ...(deployment.override ? { override: { reason: deployment.override.reason, by: deployment.override.by } } : {}),
        monitoring,
        steps: [...log.steps],
      };
    });
  },
});
