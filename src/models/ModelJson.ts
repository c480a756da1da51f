import { z } from "zod";
import { ALGORITHMS, ESTIMATORS, EstimatorJson } from "./estimators.js";
import { Pipeline } from "./preprocessing.js";
import { Quantiles } from "../data/statistics.js";

export const FeatureStats = z.object({
  count: z.number().int(),
  nulls: z.number().int(),
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  quantiles: Quantiles,
});
export type FeatureStats = z.infer<typeof FeatureStats>;

export const ClassLabel = z.union([z.string(), z.number(), z.boolean()]);

/**
 * `model.json` as far as loadModel reads it before the fitted parameters: every field checked
 * except `params`, of which only `kind` is. loadModel then checks that kind against the algorithm
 * and the parameters against the rest of the model (its matrix columns and classes), each with an
 * error of its own, and gives a ModelJson.
 */
export const ModelJsonHead = z.object({
  format: z.literal("dw.model/1"),
  /** The algorithm asked for; xgboost and lightgbm are fitted by dw's gradient boosting (params.kind). */
  algorithm: z.enum(ALGORITHMS),
  task: z.enum(["regression", "classification"]),
  target: z.string(),
  /** Classification: the label of each class index, in order. */
  classes: z.array(ClassLabel).optional(),
  /** As the user gave them (no defaults added): see src/models/hyperparameters.ts. */
  hyperparameters: z.record(z.string(), z.unknown()),
  signature: z.object({
    inputs: z.array(z.object({ name: z.string(), type: z.enum(["double", "boolean", "datetime", "string"]) })),
    outputs: z.array(z.object({ name: z.string(), type: z.enum(["double", "string", "long", "boolean"]) })),
  }),
  preprocessing: Pipeline,
  params: z.looseObject({ kind: z.enum(ESTIMATORS) }),
  training_data: z.object({ dataset_id: z.string(), sha256: z.string(), rows: z.number().int() }),
  /** Statistics of each numeric input on the training rows: the baseline drift is measured against. */
  reference_stats: z.record(z.string(), FeatureStats),
  created_at: z.string(),
  run_id: z.string(),
});

/**
 * `model.json`, format dw.model/1: everything needed to score, and nothing executable. Loading a
 * model parses and validates this JSON; it never evaluates code. `params` is the fitted estimator,
 * one of a union discriminated by `kind` (see EstimatorJson in src/models/estimators.ts).
 */
export const ModelJson = ModelJsonHead.extend({ params: EstimatorJson });
export type ModelJson = z.infer<typeof ModelJson>;
