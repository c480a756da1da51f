import { z } from "zod";
import type { EvaluationRows } from "../runs/readEvaluationRows.js";

// What evaluate_model and explain_model share: both measure a run's model on the rows that
// readEvaluationRows picks (the run's held-out rows, every row of a k-fold run, or a dataset
// given), take the same short flags for them, and open their answers by saying which rows.

/** `--run_id` names the model (as train_model's run_id does) and `--data` the dataset. */
export const EVALUATED_ROWS_ALIASES: Record<string, string> = { run_id: "model_id", data: "dataset_id" };

/** The answer's first fields: the run, the dataset and which of its rows; `evaluation` is described in the tool's own words. */
export function evaluatedRowsFields(evaluation: string) {
  return {
    model_id: z.string(),
    dataset_id: z.string(),
    evaluation: z.enum(["holdout", "all_rows", "dataset"]).describe(evaluation),
  };
}

/** Those fields for the rows readEvaluationRows gave. */
export function evaluatedRows(er: EvaluationRows): { model_id: string; dataset_id: string; evaluation: EvaluationRows["evaluation"] } {
  return { model_id: er.runId, dataset_id: er.datasetId, evaluation: er.evaluation };
}
