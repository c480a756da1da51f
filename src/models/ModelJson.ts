import { z } from "zod";
import { ALGORITHMS } from "./estimators.js";
import { Pipeline } from "./preprocessing.js";

export const FeatureStats = z.object({
  count: z.number().int(),
  nulls: z.number().int(),
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  quantiles: z.object({ p05: z.number(), p25: z.number(), p50: z.number(), p75: z.number(), p95: z.number() }),
});
export type FeatureStats = z.infer<typeof FeatureStats>;

export const ClassLabel = z.union([z.string(), z.number(), z.boolean()]);

/**
 * `model.json`, format dw.model/1: everything needed to score, and nothing executable. Loading a
 * model parses and validates this JSON; it never evaluates code. `params.kind` names the
 * estimator whose fitted parameters follow (see src/models/estimators.ts).
 */
export const ModelJson = z.object({
  format: z.literal("dw.model/1"),
  /** The algorithm asked for; xgboost and lightgbm are fitted by dw's gradient boosting (params.kind). */
  algorithm: z.enum(ALGORITHMS),
  task: z.enum(["regression", "classification"]),
  target: z.string(),
  /** Classification: the label of each class index, in order. */
  classes: z.array(ClassLabel).optional(),
  hyperparameters: z.record(z.string(), z.unknown()),
  signature: z.object({
    inputs: z.array(z.object({ name: z.string(), type: z.enum(["double", "boolean", "datetime", "string"]) })),
    outputs: z.array(z.object({ name: z.string(), type: z.enum(["double", "string", "long", "boolean"]) })),
  }),
  preprocessing: Pipeline,
  params: z.looseObject({ kind: z.enum(["linear_regression", "logistic_regression", "decision_tree", "random_forest", "gradient_boosting"]) }),
  training_data: z.object({ dataset_id: z.string(), sha256: z.string(), rows: z.number().int() }),
  /** Statistics of each numeric input on the training rows: the baseline drift is measured against. */
  reference_stats: z.record(z.string(), FeatureStats),
  created_at: z.string(),
  run_id: z.string(),
});
export type ModelJson = z.infer<typeof ModelJson>;
