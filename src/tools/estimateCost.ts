import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { ALGORITHMS } from "../models/algorithms.js";
import { MAX_CATEGORIES } from "../models/preprocessing.js";
import { requireColumn } from "../data/requireColumn.js";
import { defaultFeatures, inferTask } from "../models/trainingData.js";
import type { Column } from "../data/Dataset.js";
import { CostReport } from "../cost/CostReport.js";

export const EstimateCostInput = z
  .strictObject({
    algorithm: z.enum(ALGORITHMS).describe("The algorithm train_model would run."),
    rows: z.number().int().min(1).optional().describe("Training rows; or give dataset_id."),
    features: z.number().int().min(1).optional().describe("Feature columns after encoding; or give dataset_id."),
    dataset_id: z.string().min(1).optional().describe("Take rows and encoded features from a loaded dataset instead."),
    target: z.string().min(1).optional().describe("With dataset_id: the column to predict (it is not a feature, and it sets the task and classes)."),
    columns: z.array(z.string().min(1)).min(1).optional().describe("With dataset_id: the feature columns (default: train_model's default features)."),
    hyperparameters: z.record(z.string(), z.unknown()).default({}).describe("As train_model takes them, e.g. n_estimators, max_iter, max_depth."),
    task: z.enum(["regression", "classification"]).optional(),
    classes: z.number().int().min(2).optional().describe("Classes of the target, for classification (default 2, or counted from the dataset)."),
  })
  .superRefine((v, ctx) => {
    const bySize = v.rows !== undefined || v.features !== undefined;
    if (bySize && v.dataset_id !== undefined)
      ctx.addIssue({ code: "custom", path: ["dataset_id"], message: "give either rows and features, or dataset_id, not both" });
    else if (!bySize && v.dataset_id === undefined) ctx.addIssue({ code: "custom", path: ["rows"], message: "give rows and features, or dataset_id" });
    else if (bySize && (v.rows === undefined || v.features === undefined))
      ctx.addIssue({ code: "custom", path: [v.rows === undefined ? "rows" : "features"], message: "rows and features go together" });
  });
export type EstimateCostInput = z.infer<typeof EstimateCostInput>;

export const EstimateCostOutput = CostReport;

/**
 * Predicts how long a training would take, its peak memory and (with a price per hour in
 * dw.policy.yaml) its cost, from the rows, features and algorithm, using constants measured on
 * this machine (the first call measures, a few seconds; the result is kept in
 * .dw/cost-calibration.json). Compared with the policy's cost limits: pass, warn or fail.
 *
 * @example
 * ```ts
 * const est = await dw.estimateCost({ algorithm: "random_forest", rows: 1_000_000, features: 20 });
 * est.estimate.train_seconds;
 * ```
 */
export const estimateCost = defineTool({
  name: "estimate_cost",
  annotations: { effect: "reads" },
  description: "Estimate a training's time, peak memory and cost (calibrated on this machine) and check it against the policy's cost limits.",
  input: EstimateCostInput,
  output: EstimateCostOutput,
  magic: { aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const { costGateForTraining } = await import("../cost/costGateForTraining.js");
    if (input.dataset_id === undefined) {
      return costGateForTraining(ctx, {
        rows: input.rows!,
        features: input.features!,
        algorithm: input.algorithm,
        hyperparameters: input.hyperparameters,
        task: input.task,
        classes: input.classes,
      });
    }
    const { readDataset } = await import("../data/readDataset.js");
    const { record, ds } = await readDataset(ctx.workspace, input.dataset_id);
    const { dataVersion } = await import("../data/profileCacheKey.js");
    const { storedTableProfile } = await import("../quality/cachedTableProfile.js");
    // Distinct counts come from the data version's profile when one is stored (the quality gate's);
    // else counted here, which for one column costs less than profiling every column.
    const stored = await storedTableProfile(ctx.workspace, { version: dataVersion(ctx.workspace, record) });
    const distinctOf = (col: Column) => (col.type === "date" ? undefined : stored?.columns.find((c) => c.name === col.name)?.distinct) ?? distinct(col);
    const target = input.target !== undefined ? requireColumn(ds, input.target, "target", record.dataset_id) : undefined;
    const names = input.columns ?? (target ? defaultFeatures(ds, target.name) : ds.columns.map((c) => c.name));
    if (target && names.includes(target.name)) {
      throw new DwError("INVALID_INPUT", `The target '${target.name}' is also listed in columns.`, {
        hint: "Remove it from columns.",
        details: { field: "columns" },
      });
    }
    const width = names.reduce((s, n) => s + encodedWidth(requireColumn(ds, n, "columns", record.dataset_id), distinctOf), 0);
    const task = input.task ?? (input.algorithm === "logistic_regression" ? "classification" : target ? inferTask(target) : "regression");
    const classes = input.classes ?? (target && task === "classification" ? Math.max(2, distinctOf(target)) : undefined);
    return costGateForTraining(ctx, {
      rows: ds.rows,
      features: Math.max(1, width),
      algorithm: input.algorithm,
      hyperparameters: input.hyperparameters,
      task,
      classes,
    });
  },
});

/** Distinct non-missing values (dates as written, unlike the profile, which counts instants). */
function distinct(col: Column): number {
  return col.type === "number" ? new Set(Array.from(col.values).filter((v) => !Number.isNaN(v))).size : new Set(col.values.filter((v) => v !== null)).size;
}

/** Matrix columns train_model's default pipeline makes of a column: 1, 5 date parts, or one per category plus "other". */
function encodedWidth(col: Column, distinctOf: (col: Column) => number): number {
  if (col.type === "number" || col.type === "boolean") return 1;
  if (col.type === "date") return 5;
  return Math.min(MAX_CATEGORIES, distinctOf(col)) + 1;
}
