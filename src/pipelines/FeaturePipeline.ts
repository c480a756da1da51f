import { z } from "zod";
import { MODEL_NAME_RULE, checkName, isModelName } from "../workspace/refNames.js";

/**
 * A named preprocessing definition, stored as `pipeline.json` in a commit under
 * refs/dw/pipelines/<name>; each new version is a commit whose parent is the previous one. It says
 * what to do with which column; the numbers (medians, categories, means) are fitted by the run
 * that uses it, on that run's training rows.
 */
export const TRANSFORMS = ["impute_median", "impute_mode", "one_hot", "ordinal", "standardize", "log1p", "date_parts", "drop", "interaction"] as const;
export type Transform = (typeof TRANSFORMS)[number];

/** Column types each transform accepts (for an interaction, the types of its two inputs). */
export const TRANSFORM_TYPES: Record<Transform, readonly ("number" | "boolean" | "date" | "string")[]> = {
  impute_median: ["number"],
  impute_mode: ["number", "boolean", "date", "string"],
  one_hot: ["string", "boolean", "number"],
  ordinal: ["string", "boolean"],
  standardize: ["number"],
  log1p: ["number"],
  date_parts: ["date"],
  drop: ["number", "boolean", "date", "string"],
  interaction: ["number"],
};

/** The name an interaction step's column must have: its inputs joined by '*', as suggest_features names it. */
export const interactionName = (inputs: readonly string[]) => inputs.join("*");

export const FeaturePipelineStep = z.strictObject({
  column: z
    .string()
    .min(1)
    .describe("A column listed in features; for an interaction, the new column, named after its inputs joined by '*' (inputs [a, b] make 'a*b')."),
  transform: z
    .enum(TRANSFORMS)
    .describe(
      "What to do with the column; steps on one column apply in the order given. interaction adds the product of two numeric features (missing values take each input's training median first).",
    ),
  inputs: z
    .array(z.string().min(1))
    .optional()
    .describe(
      "interaction only: the two numeric columns to multiply, both listed in features (a drop step on one keeps it out of the matrix; the interaction still reads it).",
    ),
});
export type FeaturePipelineStep = z.infer<typeof FeaturePipelineStep>;

export const FeaturePipelineRecord = z.object({
  format: z.literal("dw.feature_pipeline/1"),
  name: z.string(),
  version: z.number().int().min(1),
  features: z.array(z.string()),
  steps: z.array(FeaturePipelineStep),
  dataset: z
    .object({
      dataset_id: z.string(),
      source: z.string(),
      sha256: z.string(),
      rows: z.number().int(),
      columns: z.array(z.object({ name: z.string(), type: z.enum(["number", "boolean", "date", "string"]), nulls: z.number().int() })),
    })
    .describe("The schema of the dataset the pipeline was defined on."),
  created_at: z.string(),
});
export type FeaturePipelineRecord = z.infer<typeof FeaturePipelineRecord>;

export const featurePipelineRef = (name: string) => `refs/dw/pipelines/${name}`;

/** Pipeline names follow the model-name rule, so they are safe as one ref component. */
export function checkPipelineName(name: string, field = "name"): void {
  checkName(name, isModelName, "pipeline name", `Use ${MODEL_NAME_RULE}.`, field);
}
