import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { listModelVersions } from "../registry/listModelVersions.js";

export const GetModelVersionsInput = z.strictObject({
  model_name: z.string().min(1).describe("Registered model name."),
  alias: z.string().optional().describe("Only the version this alias points at."),
});
export type GetModelVersionsInput = z.infer<typeof GetModelVersionsInput>;

export const ModelVersionOutput = z.object({
  version: z.number().int(),
  model_id: z.string(),
  run_id: z.string(),
  commit: z.string(),
  aliases: z.array(z.string()),
  algorithm: z.string(),
  task: z.string(),
  target: z.string(),
  features: z.array(z.string()),
  dataset_id: z.string().describe("Lineage: the dataset the version was trained on."),
  data_sha256: z.string(),
  metrics: z.record(z.string(), z.number()),
  registered_at: z.string(),
  description: z.string().optional(),
});

export const GetModelVersionsOutput = z.object({
  model_name: z.string(),
  total_versions: z.number().int(),
  aliases: z.record(z.string(), z.number().int()),
  versions: z.array(ModelVersionOutput).describe("Newest first."),
});
export type GetModelVersionsOutput = z.infer<typeof GetModelVersionsOutput>;

/**
 * Lists a registered model's versions, newest first, with aliases, metrics and lineage.
 *
 * @example
 * ```ts
 * const { versions } = await dw.getModelVersions({ model_name: "temp" });
 * ```
 */
export const getModelVersions = defineTool({
  name: "get_model_versions",
  annotations: { effect: "reads" },
  description: "List the versions of a registered model with aliases, metrics and lineage to the training data.",
  input: GetModelVersionsInput,
  output: GetModelVersionsOutput,
  magic: { positional: "model_name", aliases: { name: "model_name" } },
  async run(input, ctx) {
    const { total, aliases, versions } = await listModelVersions(ctx.workspace, input.model_name, input.alias);
    return {
      model_name: input.model_name,
      total_versions: total,
      aliases,
      versions: versions.map((info) => ({
        version: info.version,
        model_id: info.run_id,
        run_id: info.run_id,
        commit: info.commit,
        aliases: info.aliases,
        algorithm: info.run.algorithm,
        task: info.run.task,
        target: info.run.target,
        features: info.run.features,
        dataset_id: info.run.data.dataset_id,
        data_sha256: info.run.data.sha256,
        metrics: info.run.metrics,
        registered_at: info.registered_at,
        ...(info.description !== undefined ? { description: info.description } : {}),
      })),
    };
  },
});
