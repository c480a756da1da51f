import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { SCORE_MAX_ROWS } from "../deployment/scoreMaxRows.js";

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const PredictInput = z.strictObject({
  model_id: z
    .string()
    .min(1)
    .describe("The registered version to score with: name@alias (the version the alias serves, e.g. temp@production) or name/version (e.g. temp/3)."),
  rows: z
    .array(z.record(z.string(), Value))
    .max(SCORE_MAX_ROWS)
    .optional()
    .describe(
      `Rows to score, each by input name (null: a missing value, imputed as in training; inputs the model does not take are ignored); at most ${SCORE_MAX_ROWS}. Without rows the model's example row is scored.`,
    ),
});
export type PredictInput = z.infer<typeof PredictInput>;

export const PredictOutput = z.object({
  model: z.string(),
  version: z.number().int(),
  alias: z.string().optional().describe("The alias model_id named, if any."),
  task: z.enum(["regression", "classification"]),
  target: z.string().describe("What the model predicts."),
  inputs: z
    .array(z.object({ name: z.string(), type: z.enum(["double", "boolean", "datetime", "string"]) }))
    .describe("The model's input signature, in order: what each row must give."),
  example: z
    .record(z.string(), z.unknown())
    .describe("One plausible row: each numeric input's training median, a known category, a date from the training data."),
  rows: z.array(z.record(z.string(), z.unknown())).describe("The rows scored, by input name (the example row when none were given)."),
  predictions: z.array(z.union([z.string(), z.number(), z.boolean()])).describe("One per row: a class label for a classifier, a number for a regression."),
});
export type PredictOutput = z.infer<typeof PredictOutput>;

/**
 * Scores a few rows with a registered model version, in the kernel, exactly as dw serve would
 * (same model.json, signature casts and imputation) but without a server and without logging the
 * rows as the endpoint's traffic, so trying a model never feeds its drift monitoring. Without
 * rows it answers the inputs, an example row and its prediction: what the sidebar's Try it form
 * is built from.
 *
 * @example
 * ```ts
 * const { inputs, example } = await dw.predict({ model_id: "temp@production" });
 * const { predictions } = await dw.predict({ model_id: "temp@production", rows: [{ ...example, wind: 9 }] });
 * ```
 */
export const predict = defineTool({
  name: "predict",
  annotations: { effect: "reads" },
  description:
    "Score a few rows (at most 100) with a registered model version (name@alias or name/version) as dw serve would, without a server or logging them as traffic; without rows, answer the inputs, an example row and its prediction.",
  input: PredictInput,
  output: PredictOutput,
  magic: { positional: "model_id", aliases: { model: "model_id" } },
  async run(input, ctx) {
    const { scoreRegisteredModel } = await import("../deployment/scoreRegisteredModel.js");
    const scored = await scoreRegisteredModel(ctx.workspace, input.model_id, input.rows);
    return { ...scored, predictions: scored.predictions as PredictOutput["predictions"] };
  },
});
