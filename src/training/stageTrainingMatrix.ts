import { getColumn } from "../data/Dataset.js";
import type { Estimator } from "../models/estimators.js";
import { stageMatrix, type StagedMatrix } from "../models/fitInWorker.js";
import { fitsOnThread } from "./fitOnThread.js";
import { scalesFeatures } from "./scalesFeatures.js";
import type { TrainingData } from "./prepareTrainingData.js";

/**
 * Starts fitting a training's preprocessing and building its feature matrix on the fit worker
 * (stageMatrix) while the caller runs its gates, when the fit will go to a worker and the matrix is
 * the features' numbers put through numeric steps: dw's default preprocessing (no named pipeline)
 * of number columns that are the dataset's own and in shared memory (the parallel CSV reader's and
 * the column cache's are), so the worker reads them without a copy. Undefined otherwise, and
 * fitOnRows fits the pipeline and builds the matrix itself as before. The worker holds the matrix
 * until fitOnRows fits on it or the caller releases it. A linear regression's matrix past 512 MB
 * (`options.blocksPastBytes`, for tests) is not built at all: the worker fits it a block of rows at
 * a time from the shared columns (fitLinearInBlocks), the same model to the bit in bounded memory.
 *
 * @example
 * ```ts
 * const staged = stageTrainingMatrix(data, "linear_regression", { seed: 42, testSize: 0.2 });
 * try {
 *   await fitAndEvaluate({ data, estimator: "linear_regression", hyperparameters: {}, seed: 42, staged }, { testSize: 0.2 });
 * } finally {
 *   staged?.release();
 * }
 * ```
 */
export function stageTrainingMatrix(
  data: TrainingData,
  estimator: Estimator,
  split: { seed: number; testSize: number; cvFolds?: number },
  options: { blocksPastBytes?: number } = {},
): StagedMatrix | undefined {
  if (data.spec || fitsOnThread(estimator, data.keep.length, data.features.length)) return undefined;
  const columns: { name: string; values: Float64Array; nulls: number }[] = [];
  for (const c of data.features) {
    if (c.type !== "number" || getColumn(data.ds, c.name) !== c || !(c.values.buffer instanceof SharedArrayBuffer)) return undefined;
    columns.push({ name: c.name, values: c.values, nulls: c.nulls });
  }
  return stageMatrix(columns, data.y.slice(), Int32Array.from(data.keep), split, scalesFeatures(estimator), {
    estimator,
    task: data.task,
    nClasses: data.nClasses,
    ...options,
  });
}
