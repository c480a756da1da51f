import type { Workspace } from "../../../src/workspace/Workspace.js";
import { estimatorOf, type Algorithm, type Task } from "../../../src/models/estimators.js";
import { parseHyperparameters } from "../../../src/models/hyperparameters.js";
import { modelJsonText } from "../../../src/models/modelJsonText.js";
import { prepareTrainingData } from "../../../src/training/prepareTrainingData.js";
import { fitAndEvaluate } from "../../../src/training/fitAndEvaluate.js";
import { trainedModelJson } from "../../../src/training/trainedModelJson.js";

/** A training as train_model asks for one, with the run id and time fixed so that two trainings can give the same bytes. */
export interface DeterminismSpec {
  dataset_id: string;
  target: string;
  features: string[];
  algorithm: Algorithm;
  task: Task;
  hyperparameters: Record<string, unknown>;
  seed: number;
  test_size: number;
  cv_folds?: number;
}

export const FIXED_RUN = { runId: "20260101-000000-000000", now: new Date("2026-01-01T00:00:00.000Z") };

/**
 * model.json's text and the metrics of one training, through the functions train_model's
 * trainWithGates calls, in the order it calls them (prepare, parse the hyperparameters, fit and
 * evaluate on a worker thread, write model.json), minus the gates and the commit, which do not
 * change the model.
 */
export async function trainedModelText(ws: Workspace, spec: DeterminismSpec): Promise<{ text: string; metrics: Record<string, number> }> {
  const estimator = estimatorOf(spec.algorithm);
  const hyperparameters: Record<string, unknown> = parseHyperparameters(estimator, spec.hyperparameters, spec.algorithm);
  const data = await prepareTrainingData(ws, {
    datasetId: spec.dataset_id,
    target: spec.target,
    features: spec.features,
    task: spec.task,
    algorithm: spec.algorithm,
    featuresOption: "--features",
  });
  const fitted = await fitAndEvaluate(
    { data, estimator, hyperparameters, seed: spec.seed, requireMoreRowsThanFeatures: true },
    { testSize: spec.test_size, ...(spec.cv_folds !== undefined ? { cvFolds: spec.cv_folds } : {}) },
  );
  const model = trainedModelJson(data, fitted.final, { algorithm: spec.algorithm, hyperparameters, trainRows: fitted.trainRows, ...FIXED_RUN });
  return { text: modelJsonText(model), metrics: fitted.metrics };
}
