import { DwError } from "../errors/DwError.js";
import { ALGORITHMS, type Algorithm } from "../models/estimators.js";
import type { TrainingParameters } from "../runs/RunRecord.js";
import type { TrainSpec } from "../gates/trainWithGates.js";

/**
 * The training spec of a run, to train it again: the same target, features, feature pipeline
 * (name and version), algorithm, hyperparameters as given, task, evaluation (test_size or
 * cv_folds) and seed, on `datasetId` (default: the dataset id the run was trained on, whose
 * current record is its newest version). A run whose parameters dw cannot repeat (an algorithm
 * this dw does not know) is a DATA_ERROR naming the run.
 *
 * @example
 * ```ts
 * const spec = retrainSpec(run.run_id, run.parameters, { datasetId: "seattle-weather" });
 * await trainWithGates(spec, ctx, stage);
 * ```
 */
export function retrainSpec(runId: string, p: TrainingParameters, options: { datasetId?: string; overrideReason?: string } = {}): TrainSpec {
  if (!(ALGORITHMS as readonly string[]).includes(p.algorithm)) {
    throw new DwError("DATA_ERROR", `Run '${runId}' was trained with algorithm '${p.algorithm}', which this dw cannot train.`, {
      hint: `Train anew with train_model and one of: ${ALGORITHMS.join(", ")}.`,
      details: { field: "model_id", run_id: runId },
    });
  }
  const task = p.task === "regression" || p.task === "classification" ? p.task : undefined;
  return {
    dataset_id: options.datasetId ?? p.dataset_id,
    target: p.target,
    features: p.features,
    algorithm: p.algorithm as Algorithm,
    ...(task ? { task } : {}),
    hyperparameters: p.hyperparameters,
    test_size: p.test_size,
    ...(typeof p.cv_folds === "number" ? { cv_folds: p.cv_folds } : {}),
    seed: p.seed,
    ...(p.pipeline ? { pipeline: p.pipeline.name, pipeline_version: p.pipeline.version } : {}),
    ...(options.overrideReason !== undefined ? { override_reason: options.overrideReason } : {}),
  };
}
