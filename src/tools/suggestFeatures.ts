import { z } from "zod";
import { defineTool } from "./defineTool.js";

export const SuggestFeaturesInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset, as load_dataset registered it."),
  target: z.string().min(1).describe("The column to predict."),
  max_features: z.number().int().min(1).max(1000).default(20).describe("How many ranked features to return."),
  task: z
    .enum(["regression", "classification"])
    .optional()
    .describe(
      "Overrides the task read from the target as train_model reads it: text, booleans and numbers with two values (0/1) are classification, other numbers regression.",
    ),
});
export type SuggestFeaturesInput = z.infer<typeof SuggestFeaturesInput>;

const ColumnTypeEnum = z.enum(["number", "boolean", "date", "string"]);

export const SuggestFeaturesOutput = z.object({
  dataset_id: z.string(),
  target: z.string(),
  task: z.enum(["regression", "classification"]),
  rows_used: z.number().int().describe("Rows with a target value: the rows every score is measured on."),
  features: z
    .array(
      z.object({
        name: z.string(),
        type: ColumnTypeEnum,
        score: z.number().describe("Relevance on the |r| scale, 0 to 1: the larger of |correlation| and the information correlation √(1−e^(−2·MI))."),
        correlation: z.number().optional().describe("Pearson r with the target (regression; dates as time)."),
        mutual_information: z.number().describe("Mutual information with the target in nats, binned, less its expected value under independence."),
        rank: z.number().int(),
      }),
    )
    .describe("Candidate features, best first; columns flagged as leakage, ID-like or constant are left out."),
  transforms: z.array(
    z.object({
      column: z.string().describe("The column transformed; for an interaction, the new column a*b."),
      transform: z.enum(["one_hot", "target_encoding", "date_parts", "log1p", "interaction"]),
      inputs: z.array(z.string()).describe("Source columns."),
      new_columns: z.array(z.string()).describe("Columns the transform would add."),
      reason: z.string(),
    }),
  ),
  flags: z.array(z.object({ column: z.string(), kind: z.enum(["leakage", "id_like", "constant", "high_nulls"]), reason: z.string() })),
  joins: z
    .array(
      z.object({
        dataset_id: z.string(),
        column: z.string(),
        overlap: z.number().describe("Share of this dataset's distinct key values found in the other."),
        row_overlap: z.number(),
      }),
    )
    .describe("Other datasets in the workspace sharing a key column name and values."),
});
export type SuggestFeaturesOutput = z.infer<typeof SuggestFeaturesOutput>;

/**
 * Ranks a dataset's columns as features for a target and says what to do with them: relevance by
 * correlation and mutual information, proposed encodings, date parts, log1p and interactions,
 * flagged leakage, ID-like, constant and mostly-missing columns, and other datasets that share a key
 * (see src/pipelines/proposeFeatures.ts for how each is measured).
 *
 * @example
 * ```ts
 * const s = await dw.suggestFeatures({ dataset_id: "seattle-weather", target: "temp_max" });
 * s.features[0].name; // "temp_min"
 * ```
 */
export const suggestFeatures = defineTool({
  name: "suggest_features",
  annotations: { effect: "reads" },
  description:
    "Rank a dataset's columns as features for a target (correlation, mutual information), propose transforms (encodings, date parts, log1p, interactions), flag leakage, ID-like and constant columns, and find datasets to join.",
  input: SuggestFeaturesInput,
  output: SuggestFeaturesOutput,
  magic: { aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const { proposeFeatures } = await import("../pipelines/proposeFeatures.js");
    return proposeFeatures(ctx.workspace, { datasetId: input.dataset_id, target: input.target, maxFeatures: input.max_features, task: input.task });
  },
});
