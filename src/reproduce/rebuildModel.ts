import { z } from "zod";
import { DwError } from "../errors/DwError.js";
import { ALGORITHMS, TASKS, estimatorOf, type Algorithm, type Task } from "../models/estimators.js";
import { parseHyperparameters } from "../models/hyperparameters.js";
import { modelJsonText } from "../models/modelJsonText.js";
import type { TrainingParameters } from "../runs/RunRecord.js";
import type { DomainContext } from "../workspace/DomainContext.js";
import { prepareTrainingData } from "../training/prepareTrainingData.js";
import { fitAndEvaluate } from "../training/fitAndEvaluate.js";
import { trainedModelJson } from "../training/trainedModelJson.js";
import type { RunData } from "./locateRunData.js";

/** A model trained again from a run's parameters and data: model.json's text and the metrics, as train_model would have stored them. */
export interface RebuiltModel {
  modelText: string;
  metrics: Record<string, number>;
  confusion?: number[][];
  /** The commit the named feature pipeline's recorded version is now, when the run used one. */
  pipelineCommit?: string;
}

/**
 * Trains again exactly as train_model trained (the same preparation, split, seed, fit and
 * model.json writer: prepareTrainingData, fitAndEvaluate, trainedModelJson, modelJsonText), from
 * params.json and the run's own data, with the stored run id and creation time so that an
 * unchanged run gives the same bytes. No gate runs (they judged the data once and wrote their
 * reports; they do not change the model) and nothing is written. A run its time budget stopped
 * early is rebuilt with as many trees or iterations as it kept (`stopAfter`), not with a
 * deadline, whose trees depend on the machine's speed.
 *
 * @example
 * ```ts
 * const rebuilt = await rebuildModel(ctx, params, data, { runId: "20261128-031502-a1b2c3", createdAt: new Date("2026-11-28T03:15:02Z") });
 * ```
 */
export async function rebuildModel(
  ctx: DomainContext,
  params: TrainingParameters,
  data: RunData,
  o: { runId: string; createdAt: Date; stopAfter?: number },
): Promise<RebuiltModel> {
  const algorithm = knownAlgorithm(params.algorithm);
  const estimator = estimatorOf(algorithm);
  const task = params.task === undefined ? undefined : knownTask(params.task);
  const hyperparameters: Record<string, unknown> = parseHyperparameters(estimator, params.hyperparameters, algorithm);
  const prepared = await prepareTrainingData(ctx.workspace, {
    datasetId: params.dataset_id,
    dataset: { record: data.record, ds: data.ds },
    target: params.target,
    features: params.features,
    // Runs of the first dw, which trained regressions only, say no task.
    task: task ?? (estimator === "logistic_regression" ? "classification" : "regression"),
    algorithm,
    ...(params.pipeline ? { pipeline: params.pipeline.name, pipelineVersion: params.pipeline.version } : {}),
    featuresOption: "--features",
  });
  const plan = { data: prepared, estimator, hyperparameters, seed: params.seed, requireMoreRowsThanFeatures: true, signal: ctx.signal, stopAfter: o.stopAfter };
  const fitted = await fitAndEvaluate(plan, { testSize: params.test_size, ...(typeof params.cv_folds === "number" ? { cvFolds: params.cv_folds } : {}) });
  const model = trainedModelJson(prepared, fitted.final, { algorithm, hyperparameters, trainRows: fitted.trainRows, runId: o.runId, now: o.createdAt });
  return {
    modelText: modelJsonText(model),
    metrics: fitted.metrics,
    ...(fitted.confusion ? { confusion: fitted.confusion } : {}),
    ...(prepared.named ? { pipelineCommit: prepared.named.commit } : {}),
  };
}

function knownAlgorithm(name: string): Algorithm {
  const known = z.enum(ALGORITHMS).safeParse(name);
  if (known.success) return known.data;
  throw new DwError("DATA_ERROR", `params.json names the algorithm '${name}', which this dw does not train.`, {
    hint: `This dw trains: ${ALGORITHMS.join(", ")}. A newer dw may have written the run; reproduce it with that version.`,
    details: { field: "model_id", file: "params.json", path: "algorithm" },
  });
}

function knownTask(name: string): Task {
  const tasks = [...new Set(Object.values(TASKS).flat())];
  const known = tasks.find((t) => t === name);
  if (known !== undefined) return known;
  throw new DwError("DATA_ERROR", `params.json names the task '${name}'.`, {
    hint: `A task is one of: ${tasks.join(", ")}.`,
    details: { field: "model_id", file: "params.json", path: "task" },
  });
}
