import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { readRun } from "../runs/readRun.js";
import { listModels, readVersion } from "../registry/readRegistry.js";
import { MODEL_NAME } from "../registry/refs.js";
import { registerModel } from "./registerModel.js";
import { deployModel } from "./deployModel.js";

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
    const { run } = await readRun(ctx.workspace, input.run_id, "run_id");
    let existing: { name: string; version: number } | undefined;
    for (const [name, versions] of await listModels(ctx.workspace)) {
      if (input.model_name !== undefined && name !== input.model_name) continue;
      for (const v of versions) {
        const info = await readVersion(ctx.workspace, name, v);
        if (info?.run_id === run.run_id) existing = { name, version: v };
      }
    }
    let name: string;
    let version: number;
    if (existing) {
      ({ name, version } = existing);
    } else {
      name = input.model_name ?? defaultName(run.target);
      const reg = await registerModel.run(registerModel.input.parse({ model_id: run.run_id, model_name: name }), ctx);
      version = reg.version;
    }
    const dep = await deployModel.run(deployModel.input.parse({ model_name: name, version, alias: input.alias }), ctx);
    return {
      run_id: run.run_id,
      model_name: name,
      version,
      newly_registered: !existing,
      alias: dep.alias,
      endpoint_url: dep.endpoint_url,
      version_url: dep.version_url,
      curl: dep.curl,
    };
  },
});

function defaultName(target: string): string {
  const n = target
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 100);
  return MODEL_NAME.test(n) ? n : "model";
}
