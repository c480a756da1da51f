import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { featurePipelineRef, FeaturePipelineStep } from "../pipelines/FeaturePipeline.js";

export const CreateFeaturePipelineInput = z.strictObject({
  name: z.string().min(1).describe("Pipeline name, e.g. weather-basic; train_model will take it by this name."),
  dataset_id: z.string().min(1).describe("The dataset the pipeline is defined on, as load_dataset registered it: columns and types are checked against it."),
  features: z.array(z.string().min(1)).min(1).describe("The input columns the pipeline reads."),
  steps: z
    .array(FeaturePipelineStep)
    .default([])
    .describe(
      "Transforms by column, in order, and interactions (products of two numeric features) to add. Columns without a step get train_model's default preprocessing.",
    ),
});
export type CreateFeaturePipelineInput = z.infer<typeof CreateFeaturePipelineInput>;

export const CreateFeaturePipelineOutput = z.object({
  name: z.string(),
  version: z.number().int().describe("1 for a new pipeline; each changed definition adds one."),
  created: z.boolean().describe("false when the latest version already had this definition and is returned as it was."),
  commit: z.string(),
  ref: z.string().describe("refs/dw/pipelines/<name>, pointing at the latest version."),
  dataset_id: z.string(),
  features: z.array(z.string()),
  steps: z.array(FeaturePipelineStep),
  created_at: z.string(),
});
export type CreateFeaturePipelineOutput = z.infer<typeof CreateFeaturePipelineOutput>;

/**
 * Saves a named, reusable preprocessing definition (features, per-column transforms, and
 * interactions: products of two numeric features, as suggest_features proposes them) as a commit
 * under refs/dw/pipelines/<name> holding pipeline.json, checked against the dataset: columns must
 * exist and transforms fit their types. A changed definition is a new version whose commit's parent
 * is the previous one; an unchanged one returns the latest version. A failure writes nothing.
 *
 * @example
 * ```ts
 * const p = await dw.createFeaturePipeline({
 *   name: "weather-basic",
 *   dataset_id: "seattle-weather",
 *   features: ["precipitation", "wind", "date", "temp_min"],
 *   steps: [
 *     { column: "precipitation", transform: "log1p" },
 *     { column: "date", transform: "date_parts" },
 *     { column: "temp_min*wind", transform: "interaction", inputs: ["temp_min", "wind"] },
 *   ],
 * });
 * p.version; // 1
 * ```
 */
export const createFeaturePipeline = defineTool({
  name: "create_feature_pipeline",
  annotations: { effect: "writes", idempotent: true },
  description:
    'Save a named, reusable preprocessing pipeline (features and per-column transforms: imputation, one-hot or ordinal encoding, standardization, log1p, date parts, drop; and interactions, the product of two numeric features, given as {column: "a*b", transform: "interaction", inputs: ["a", "b"]} as suggest_features proposes them) as a versioned git commit under refs/dw/pipelines/<name>.',
  input: CreateFeaturePipelineInput,
  output: CreateFeaturePipelineOutput,
  magic: { positional: "name", aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const { saveFeaturePipeline } = await import("../pipelines/saveFeaturePipeline.js");
    const {
      pipeline: p,
      commit,
      created,
    } = await saveFeaturePipeline(ctx, {
      name: input.name,
      datasetId: input.dataset_id,
      features: input.features,
      steps: input.steps,
    });
    return {
      name: p.name,
      version: p.version,
      created,
      commit,
      ref: featurePipelineRef(p.name),
      dataset_id: p.dataset.dataset_id,
      features: p.features,
      steps: p.steps,
      created_at: p.created_at,
    };
  },
});
