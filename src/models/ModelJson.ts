import { z } from "zod";
import { ALGORITHMS, ESTIMATORS, EstimatorJson } from "./estimators.js";
import { Pipeline } from "./preprocessing.js";
import { Quantiles } from "../data/statistics.js";
import type { FieldIssue } from "./fittedJson.js";
import { MODEL_JSON_LIMITS as LIMITS } from "./modelJsonLimits.js";
import { storedPipelineIssue } from "./storedPipelineIssue.js";
import { ClassLabel } from "./ClassLabel.js";

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

// Defined in ClassLabel.ts (zod only, for tools' schemas); exported here too.
export { ClassLabel };

/**
 * `model.json` as far as loadModel reads it before the fitted parameters: every field checked
 * except `params`, of which only `kind` is. loadModel then checks that kind against the algorithm
 * and the parameters against the rest of the model (its matrix columns and classes), each with an
 * error of its own, and gives a ModelJson. What one field says about another (classes and task,
 * the pipeline and the signature) is modelJsonHeadIssue's to check.
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
  training_data: z.object({
    dataset_id: z.string(),
    sha256: z.string(),
    rows: z.number().int(),
    /**
     * Set when the model was trained inside a database (train_model on a SQL table, linear
     * regression): no rows left it, so sha256 is that of the table's content fingerprint
     * (data/in_database.json) rather than of a file, and reference_stats is empty (no rows to sort).
     */
    where: z.literal("in_database").optional(),
  }),
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

/**
 * The first way a model.json that ModelJsonHead accepts does not fit itself, or undefined: a
 * classifier has 2..1,000 distinct class labels and a regression none, the signature has one
 * output (the target), reference statistics for at most as many columns as a model may read,
 * and the pipeline fits the signature (storedPipelineIssue). Linear in the size of the head.
 */
export function modelJsonHeadIssue(json: z.infer<typeof ModelJsonHead>): FieldIssue | undefined {
  const { classes } = json;
  if (json.task === "regression" && classes !== undefined) return { path: ["classes"], message: "a regression has no classes" };
  if (json.task === "classification") {
    if (classes === undefined) return { path: ["classes"], message: "a classifier lists its class labels" };
    if (classes.length < 2 || classes.length > LIMITS.maxClasses)
      return { path: ["classes"], message: `expected 2..${LIMITS.maxClasses} class labels, got ${classes.length}` };
    const seen = new Set<unknown>();
    for (let k = 0; k < classes.length; k++) {
      if (seen.has(classes[k])) return { path: ["classes", k], message: "a class label listed twice" };
      seen.add(classes[k]);
    }
  }
  if (json.signature.outputs.length !== 1 || json.signature.outputs[0].name !== json.target)
    return { path: ["signature", "outputs"], message: "expected one output, named as the target" };
  if (Object.keys(json.reference_stats).length > LIMITS.maxFeatures)
    return { path: ["reference_stats"], message: `statistics of more than ${LIMITS.maxFeatures} columns` };
  return storedPipelineIssue(json.preprocessing, json.signature.inputs);
}
