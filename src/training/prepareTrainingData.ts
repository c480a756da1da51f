import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readDataset } from "../data/readDataset.js";
import { requireColumn } from "../data/requireColumn.js";
import type { Column, Dataset } from "../data/Dataset.js";
import type { DatasetRecord } from "../data/datasetRecords.js";
import { TASKS, estimatorOf, type Algorithm, type Task } from "../models/estimators.js";
import type { PipelineSpec } from "../models/preprocessing.js";
import { checkFeature, readTarget } from "../models/trainingData.js";
import { warmFitWorker } from "../models/fitInWorker.js";
import { fitsOnThread } from "./fitOnThread.js";
import { chooseTask } from "../models/chooseTask.js";
import { chooseDefaultFeatures } from "../models/chooseFeatures.js";
import type { FeatureDecision, TaskDecision } from "./TrainingDecisions.js";
import { readFeaturePipeline } from "../pipelines/readFeaturePipeline.js";
import { defaultAlgorithm } from "./defaultAlgorithm.js";
import { pipelineSpec } from "../pipelines/pipelineSpec.js";
import type { FeaturePipelineRecord } from "../pipelines/FeaturePipeline.js";

/** What a tool asks to train on. */
export interface TrainingRequest {
  datasetId: string;
  target: string;
  /** Columns to predict from; by default the named pipeline's, else every usable column but the target. */
  features?: string[];
  /** The task asked for; by default inferred from the target (classification for logistic_regression). */
  task?: Task;
  /** The algorithm to fit, when one is chosen: the task must be one it can learn. */
  algorithm?: Algorithm;
  /** A named feature pipeline (create_feature_pipeline) and its version (the newest by default). */
  pipeline?: string;
  pipelineVersion?: number;
  /** How the caller's user names the features option in hints: "--features" (train_model) or "features" (select_model). */
  featuresOption: "--features" | "features";
  /** Whose training spec the task and features repeat (retrain_model: "temp v1"), so the reasons say so. */
  repeats?: string;
  /**
   * The data already read, instead of `datasetId`'s current record: reproduce_run trains on the
   * exact bytes a run saw (found by their hash), which the dataset id may no longer name.
   */
  dataset?: { record: DatasetRecord; ds: Dataset };
}

/** A dataset read as training data: the columns to learn from, the target as numbers, and the rows that have one. */
export interface TrainingData {
  record: DatasetRecord;
  ds: Dataset;
  task: Task;
  target: string;
  targetColumn: Column;
  featureNames: string[];
  features: Column[];
  /** Target values (regression) or class indices (classification), indexed by dataset row. */
  y: Float64Array;
  /** Dataset rows that have a target value, in order. */
  keep: number[];
  classes?: (string | number | boolean)[];
  /** classes.length, or 0 for a regression. */
  nClasses: number;
  /** The named feature pipeline, as read, and what it asks of preprocessing. */
  named?: { pipeline: FeaturePipelineRecord; commit: string };
  spec?: PipelineSpec;
  /** The task and the rule that chose it. */
  taskDecision: TaskDecision;
  /** The features and every other column with the reason it was left out. */
  featureDecision: FeatureDecision;
}

/**
 * Reads a dataset as training data, the same way for every tool that fits: the target column, the
 * task (asked or inferred), the features (given, the named pipeline's, or the default ones), each
 * checked (present, not the target, not a numeric column with stray text), and the target as
 * numbers. Every problem is a DwError naming the field and what to do.
 *
 * @example
 * ```ts
 * const data = await prepareTrainingData(ws, { datasetId: "weather", target: "temp_max", featuresOption: "--features" });
 * data.task; // "regression"
 * ```
 */
export async function prepareTrainingData(ws: Workspace, request: TrainingRequest): Promise<TrainingData> {
  const { datasetId, target, algorithm } = request;
  const { record, ds } = request.dataset ?? (await readDataset(ws, datasetId));
  const targetColumn = requireColumn(ds, target, "target", record.dataset_id);
  const estimator = algorithm !== undefined ? estimatorOf(algorithm) : undefined;
  const taskDecision = decideTask(request, targetColumn);
  const task: Task = taskDecision.value;
  if (estimator !== undefined && !TASKS[estimator].includes(task)) {
    throw new DwError("INVALID_INPUT", `${algorithm} cannot learn a ${task} task (target '${target}' holds ${targetColumn.type} values).`, {
      hint:
        task === "classification"
          ? "Use logistic_regression, decision_tree, random_forest or gradient_boosting."
          : "Use linear_regression, decision_tree, random_forest or gradient_boosting.",
      details: { field: "algorithm" },
    });
  }
  const named = request.pipeline !== undefined ? await readFeaturePipeline(ws, request.pipeline, request.pipelineVersion) : undefined;
  if (request.pipelineVersion !== undefined && !named) {
    throw new DwError("INVALID_INPUT", "pipeline_version needs pipeline.", { hint: "Pass --pipeline NAME too.", details: { field: "pipeline_version" } });
  }
  const featureDecision = decideFeatures(ds, target, request, named?.pipeline);
  const featureNames = featureDecision.used;
  const spec = named ? pipelineSpec(named.pipeline, ds, featureNames, request.pipeline!) : undefined;
  const option = request.featuresOption;
  if (featureNames.length === 0) {
    throw new DwError("INVALID_INPUT", `Dataset '${record.dataset_id}' has no usable column besides the target '${target}'.`, {
      hint: `Pass ${option}.`,
      details: { field: "features" },
    });
  }
  if (featureNames.includes(target)) {
    throw new DwError("INVALID_INPUT", `The target '${target}' is also listed as a feature.`, {
      hint: `Remove it from ${option}.`,
      details: { field: "features", column: target },
    });
  }
  const features = featureNames.map((f) => checkFeature(requireColumn(ds, f, "features", record.dataset_id), record.source));
  const { y, keep, classes } = readTarget(targetColumn, task, record.source);
  // A fit that will go to a worker finds it started: it loads the model code while the caller
  // checks its gates (train_model's take a while on the tables whose fits go to a worker).
  const fitting = estimator ?? estimatorOf(defaultAlgorithm(task));
  if (!fitsOnThread(fitting, keep.length, featureNames.length)) warmFitWorker();
  return {
    record,
    ds,
    task,
    target,
    targetColumn,
    featureNames,
    features,
    y,
    keep,
    ...(classes ? { classes } : {}),
    nClasses: classes?.length ?? 0,
    ...(named ? { named } : {}),
    ...(spec ? { spec } : {}),
    taskDecision,
    featureDecision,
  };
}

/** The task asked for, else logistic_regression's, else the one the target implies, with the rule in words. */
function decideTask(request: TrainingRequest, targetColumn: Column): TaskDecision {
  if (request.task !== undefined) {
    const rule = request.repeats !== undefined ? `the task ${request.repeats} was trained for` : `task '${request.task}' was asked for`;
    return { value: request.task, rule };
  }
  if (request.algorithm !== undefined && estimatorOf(request.algorithm) === "logistic_regression") {
    return { value: "classification", rule: `${request.algorithm} is a classifier; trained as a classification` };
  }
  return chooseTask(targetColumn);
}

/** The features asked for, else the named pipeline's, else dw's default ones; every other column with the reason it was left out. */
function decideFeatures(ds: Dataset, target: string, request: TrainingRequest, pipeline: FeaturePipelineRecord | undefined): FeatureDecision {
  if (request.features === undefined && pipeline === undefined) return { chosen_by: "default", ...chooseDefaultFeatures(ds, target) };
  const used = request.features ?? pipeline!.features;
  const listed = new Set(used);
  const elsewhere =
    request.features === undefined
      ? `not in pipeline '${pipeline!.name}' v${pipeline!.version}'s features`
      : request.repeats !== undefined
        ? `not among the features ${request.repeats} was trained on`
        : `not in ${request.featuresOption}`;
  const skipped = ds.columns.filter((c) => !listed.has(c.name)).map((c) => ({ column: c.name, reason: c.name === target ? "the target" : elsewhere }));
  return { chosen_by: request.features !== undefined ? "asked" : "pipeline", used, skipped };
}
