import { z } from "zod";

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

/**
 * `model.json`, format dw.model/1: everything needed to score, and nothing executable. Loading a
 * model parses and validates this JSON; it never evaluates code.
 */
export const ModelJson = z.object({
  format: z.literal("dw.model/1"),
  algorithm: z.literal("linear_regression"),
  task: z.literal("regression"),
  target: z.string(),
  hyperparameters: z.record(z.string(), z.unknown()),
  signature: z.object({
    inputs: z.array(z.object({ name: z.string(), type: z.literal("double") })),
    outputs: z.array(z.object({ name: z.string(), type: z.literal("double") })),
  }),
  /** Fitted preprocessing applied before the estimator; rows with a missing input are rejected for now. */
  preprocessing: z.object({ steps: z.array(z.object({ kind: z.string() })) }),
  params: z.object({ intercept: z.number(), coefficients: z.array(z.number()) }),
  training_data: z.object({ dataset_id: z.string(), sha256: z.string(), rows: z.number().int() }),
  reference_stats: z.record(z.string(), FeatureStats),
  created_at: z.string(),
  run_id: z.string(),
});
export type ModelJson = z.infer<typeof ModelJson>;
