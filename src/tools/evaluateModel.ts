import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { ClassLabel } from "../models/ClassLabel.js";
import { EVALUATED_ROWS_ALIASES, evaluatedRows, evaluatedRowsFields } from "./EvaluatedRows.js";

export const EvaluateModelInput = z.strictObject({
  model_id: z.string().min(1).describe("The run whose model to evaluate (the run_id train_model returned)."),
  dataset_id: z
    .string()
    .min(1)
    .optional()
    .describe("A dataset to evaluate on; it must hold the target and the model's input columns. Defaults to the run's own held-out rows."),
});
export type EvaluateModelInput = z.infer<typeof EvaluateModelInput>;

export const EvaluateModelOutput = z.object({
  ...evaluatedRowsFields(
    "holdout: the run's held-out rows, as train_model drew them; all_rows: every row of the run's data (a k-fold run has no held-out rows); dataset: the dataset given.",
  ),
  note: z.string().optional(),
  rows: z.number().int().describe("Rows evaluated: those with a target value."),
  task: z.enum(["regression", "classification"]),
  target: z.string(),
  metrics: z
    .record(z.string(), z.number())
    .describe(
      "scikit-learn's definitions. Regression: r2, rmse, mae, mape. Classification: accuracy, precision, recall, f1 (positive class for binary, macro otherwise), roc_auc and log_loss when every class is present.",
    ),
  confusion_matrix: z.array(z.array(z.number().int())).optional().describe("Rows are true classes, columns predicted classes, in the order of `classes`."),
  classes: z.array(ClassLabel).optional(),
});
export type EvaluateModelOutput = z.infer<typeof EvaluateModelOutput>;

/**
 * Evaluates a trained model: on its run's held-out rows (reproduced exactly, so the metrics equal
 * train_model's), or on another dataset that has the target and the model's inputs.
 *
 * @example
 * ```ts
 * const ev = await dw.evaluateModel({ model_id: run.run_id, dataset_id: "weather-2016" });
 * ev.metrics.r2;
 * ```
 */
export const evaluateModel = defineTool({
  name: "evaluate_model",
  annotations: { effect: "reads" },
  description:
    "Evaluate a trained model on its held-out rows or on a dataset: R², RMSE, MAE, MAPE for regression; accuracy, precision, recall, F1, ROC AUC, log loss and the confusion matrix for classification.",
  input: EvaluateModelInput,
  output: EvaluateModelOutput,
  magic: { aliases: EVALUATED_ROWS_ALIASES },
  async run(input, ctx) {
    const { matrixFor, readEvaluationRows } = await import("../runs/readEvaluationRows.js");
    const { evaluatePredictor, finiteMetrics } = await import("../models/evaluate.js");
    const er = await readEvaluationRows(ctx.workspace, input.model_id, input.dataset_id);
    const { json } = er.model;
    const ev = evaluatePredictor(json.task, er.model.predictor, matrixFor(er), er.y, er.nClasses);
    const metrics = finiteMetrics(ev.metrics);
    return {
      ...evaluatedRows(er),
      ...(er.note ? { note: er.note } : {}),
      rows: er.rows.length,
      task: json.task,
      target: json.target,
      metrics,
      ...(ev.confusion_matrix ? { confusion_matrix: ev.confusion_matrix } : {}),
      ...(json.classes ? { classes: json.classes } : {}),
    };
  },
});
