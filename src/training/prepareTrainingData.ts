import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readDataset } from "../data/readDataset.js";
import { requireColumn } from "../data/requireColumn.js";
import type { Column, Dataset } from "../data/Dataset.js";
import type { DatasetRecord } from "../data/datasetRecords.js";
import { TASKS, estimatorOf, type Algorithm, type Task } from "../models/estimators.js";
import type { PipelineSpec } from "../models/preprocessing.js";
import { checkFeature, defaultFeatures, inferTask, readTarget } from "../models/trainingData.js";
import { readFeaturePipeline } from "../pipelines/readFeaturePipeline.js";
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
  const { record, ds } = await readDataset(ws, datasetId);
  const targetColumn = requireColumn(ds, target, "target", record.dataset_id);
  const estimator = algorithm !== undefined ? estimatorOf(algorithm) : undefined;
  const task: Task = request.task ?? (estimator === "logistic_regression" ? "classification" : inferTask(targetColumn));
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
  const featureNames = request.features ?? named?.pipeline.features ?? defaultFeatures(ds, target);
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
  };
}
