import { z } from "zod";
import { DRIFT_METHODS, type DriftMethod } from "./drift/DriftMethod.js";

/** The drift tests dw runs: Evidently's DataDriftPreset defaults plus PSI. */
export const DriftMethodName = z.enum(DRIFT_METHODS as [DriftMethod, ...DriftMethod[]]);

/** A column's values, summarised for a person reading the report. */
export const ColumnDescription = z.object({
  count: z.number().int().describe("Values present."),
  nulls: z.number().int(),
  mean: z.number().nullable().optional(),
  std: z.number().nullable().optional(),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
  top: z
    .array(z.object({ value: z.string(), share: z.number() }))
    .optional()
    .describe("The commonest categories (at most 5) and their share of the values present."),
});
export type ColumnDescription = z.infer<typeof ColumnDescription>;

/** One column's test: what ran, what it gave, and whether that is drift. */
export const ColumnDrift = z.object({
  column: z.string(),
  type: z.enum(["number", "category"]).describe("How the column was compared: numbers, or categories (text, booleans, class labels)."),
  method: DriftMethodName,
  statistic: z.number().describe("The test's statistic: KS D, chi-square, z, normed Wasserstein distance, Jensen–Shannon distance or PSI."),
  p_value: z.number().nullable().describe("For ks, chisquare and z: drift when below the threshold. Null for the distances."),
  threshold: z.number(),
  drifted: z.boolean(),
  reference: ColumnDescription,
  current: ColumnDescription,
});
export type ColumnDrift = z.infer<typeof ColumnDrift>;

/** Performance on labelled traffic against the training hold-out. */
export const DriftPerformance = z.object({
  labelled_rows: z.number().int().describe("Rows of the window whose label arrived through the feedback endpoint."),
  metrics: z.record(z.string(), z.number()).describe("On those rows, as train_model measures (no probabilities are logged: no roc_auc or log_loss)."),
  reference_metrics: z.record(z.string(), z.number()).describe("The run's hold-out metrics (mean over folds for k-fold)."),
  change: z.record(z.string(), z.number()).describe("metrics − reference_metrics, for the metrics both have."),
});
export type DriftPerformance = z.infer<typeof DriftPerformance>;

/**
 * What a drift check found: per feature the test and its verdict, the share of drifted features
 * and dataset drift, the prediction's drift, and performance where labels arrived. The shape
 * detect_model_drift returns and each check commit on refs/dw/monitoring/<name>/<alias> holds.
 */
export const DriftReport = z.object({
  columns: z.array(ColumnDrift).describe("One entry per model input compared, in the model's order."),
  skipped: z.array(z.object({ column: z.string(), reason: z.string() })).describe("Inputs not compared, and why."),
  drifted_columns: z.array(z.string()),
  share_drifted: z.number().describe("Drifted columns ÷ columns compared."),
  drift_share: z.number().describe("Dataset drift when share_drifted is at least this (Evidently's default 0.5)."),
  dataset_drift: z.boolean(),
  prediction: ColumnDrift.nullable().describe("The model's predictions, current against reference; null when there are none to compare."),
  performance: DriftPerformance.nullable().describe("Null until labels for rows of the window arrive."),
  reference: z.object({
    source: z.enum(["run", "dataset"]).describe("run: the reference stored with the model's run; dataset: baseline_dataset_id."),
    run_id: z.string().optional(),
    dataset_id: z.string().optional(),
    rows: z.number().int().describe("Rows the reference stands for."),
    compared_rows: z.number().int().describe("Rows its tests read: the whole data, or the run's seeded sample for numbers."),
  }),
  current: z.object({
    source: z.enum(["log", "dataset"]).describe("log: the deployment's inference log; dataset: dataset_id."),
    dataset_id: z.string().optional(),
    deployment: z.string().optional().describe("name@alias whose log was read."),
    rows: z.number().int(),
    from: z.string().optional().describe("The oldest logged row's time (ISO)."),
    to: z.string().optional().describe("The newest logged row's time (ISO)."),
    versions: z.array(z.number().int()).optional().describe("Model versions that answered the logged rows."),
  }),
});
export type DriftReport = z.infer<typeof DriftReport>;
