import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { productionizeRun } from "../deployment/productionizeRun.js";
import { startDeployMonitoring } from "../deployment/deployVersion.js";
import { confirmServing } from "../server/confirmServing.js";
import { MonitoringStartSummary } from "../monitoring/monitor/MonitoringStartSummary.js";

export const ProductionizeInput = z.strictObject({
  run_id: z.string().min(1).describe("The training run whose model goes to production."),
  model_name: z.string().optional().describe("Registered model name; defaults to the name the run is already registered under, else the run's target."),
  alias: z.string().default("production").describe("Alias the endpoint serves."),
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
  monitoring: MonitoringStartSummary,
});
export type ProductionizeOutput = z.infer<typeof ProductionizeOutput>;

/**
 * What the Productionize button does: registers the run's model (or reuses the version it is
 * already registered as) and deploys it under the alias, returning the endpoint and a curl line.
 *
 * @example
 * ```ts
 * const p = await dw.productionize({ run_id: run.run_id });
 * p.endpoint_url;
 * ```
 */
export const productionize = defineTool({
  name: "productionize",
  annotations: { effect: "serves", long: true },
  description: "Register a training run's model (reusing an existing registration of the same run) and deploy it under an alias, in one step.",
  input: ProductionizeInput,
  output: ProductionizeOutput,
  magic: { positional: "run_id" },
  async run(input, ctx) {
    const p = await productionizeRun(ctx, { runId: input.run_id, modelName: input.model_name, alias: input.alias, notebook: ctx.origin?.notebook?.content });
    const served = await confirmServing(await ctx.ensureServer(), {
      model: p.modelName,
      alias: input.alias,
      version: p.version,
      json: p.deployment.model.json,
    });
    const monitoring = await startDeployMonitoring(ctx, p.deployment, p.modelName, input.alias);
    return {
      run_id: p.run.run_id,
      model_name: p.modelName,
      version: p.version,
      newly_registered: p.newlyRegistered,
      alias: input.alias,
      endpoint_url: served.endpoint_url,
      version_url: served.version_url,
      curl: served.curl,
      monitoring,
    };
  },
});
