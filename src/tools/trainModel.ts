import { z } from "zod";
import { defineTool } from "./defineTool.js";
import type { ToolContext } from "./ToolContext.js";
import { DwError } from "../errors/DwError.js";
import { MAX_CATEGORIES } from "../models/preprocessing.js";
import { ALGORITHMS, describeEstimator, estimatorOf, type Algorithm, type Estimator, type EstimatorJson } from "../models/estimators.js";
import { parseHyperparameters } from "../models/hyperparameters.js";
import { newRunId } from "../runs/runId.js";
import { writeRun } from "../runs/writeRun.js";
import { readExperiment } from "../experiments/readExperiment.js";
import { runTrainingGates } from "../gates/runTrainingGates.js";
import { OverrideReason, enforceGates } from "../gates/enforceGates.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import { GateStatus } from "../policy/GateReport.js";
import { prepareTrainingData } from "../training/prepareTrainingData.js";
import { fitAndEvaluate } from "../training/fitAndEvaluate.js";
import { fitProgress } from "../training/fitOnRows.js";
import { trainedModelJson } from "../training/trainedModelJson.js";
import { TRAINING_SNAPSHOT_PATH, buildTrainingSnapshot } from "../quality/trainingSnapshot.js";
import { documentText } from "../workspace/documentText.js";
import { experimentAttachment } from "../training/experimentAttachment.js";
import { recordTraining, type SetStage } from "../runs/recordTraining.js";

export const TrainModelInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset to train on, as load_dataset registered it."),
  target: z.string().min(1).describe("The column to predict."),
  features: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe(
      `Columns to predict from; defaults to every column but the target that is numeric, boolean, a date, or text with at most ${MAX_CATEGORIES} values.`,
    ),
  algorithm: z
    .enum(ALGORITHMS)
    .default("linear_regression")
    .describe("Learning algorithm. xgboost and lightgbm are trained with dw's histogram gradient boosting."),
  task: z
    .enum(["regression", "classification"])
    .optional()
    .describe("Defaults to classification for a text or boolean target, a numeric one with two values (0/1), or logistic_regression; else regression."),
  hyperparameters: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("Algorithm settings, named as scikit-learn names them (e.g. max_depth, n_estimators, learning_rate, C, l2)."),
  test_size: z.number().gt(0).lt(1).default(0.2).describe("Share of rows held out to evaluate the model (holdout evaluation)."),
  cv_folds: z
    .number()
    .int()
    .min(2)
    .max(20)
    .optional()
    .describe("Evaluate by k-fold cross-validation instead of a holdout; the model is then fitted on all rows."),
  seed: z.number().int().min(0).default(42).describe("Seed for the split and the algorithm: the same seed gives the same run."),
  experiment: z.string().min(1).optional().describe("Attach the run to this experiment (made with create_experiment)."),
  time_budget_seconds: z
    .number()
    .positive()
    .optional()
    .describe("Stop adding trees or boosting iterations once this much time has passed; the model keeps what it has built."),
  pipeline: z
    .string()
    .min(1)
    .optional()
    .describe("A named feature pipeline (create_feature_pipeline) to preprocess with; its features are the default features."),
  pipeline_version: z.number().int().min(1).optional().describe("Version of the named pipeline; defaults to the newest."),
  override_reason: OverrideReason,
});
export type TrainModelInput = z.infer<typeof TrainModelInput>;

export const TrainModelOutput = z.object({
  run_id: z.string().describe("The run's id; its commit is refs/dw/runs/<run_id>."),
  model_id: z.string().describe("Id of the trained model, to pass to register_model (the same as run_id)."),
  commit: z.string(),
  dataset_id: z.string(),
  algorithm: z.string(),
  estimator: z.string().describe("What was fitted: differs from algorithm for xgboost and lightgbm."),
  note: z.string().optional(),
  task: z.enum(["regression", "classification"]),
  target: z.string(),
  classes: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  features: z.array(z.string()),
  encoded_features: z.array(z.string()).describe("The columns after preprocessing (one-hot, date parts, interactions), as the estimator sees them."),
  hyperparameters: z.record(z.string(), z.unknown()),
  evaluation: z.enum(["holdout", "kfold"]),
  metrics: z.record(z.string(), z.number()).describe("On held-out rows (mean over folds for k-fold)."),
  confusion_matrix: z.array(z.array(z.number())).optional(),
  rows: z.object({ train: z.number().int(), test: z.number().int(), dropped_missing: z.number().int() }),
  model: z.record(z.string(), z.unknown()).describe("A summary of the fitted model: coefficients for linear models, tree counts for ensembles."),
  timings: z.object({ load_s: z.number(), fit_s: z.number(), evaluate_s: z.number(), total_s: z.number() }),
  experiment: z.string().optional(),
  stopped_early: z.boolean().optional().describe("True when the time budget ended the fit before every tree or iteration was built."),
  gates: z
    .array(z.object({ gate: z.string(), status: GateStatus, summary: z.string() }))
    .describe("The quality, governance and cost gates run before fitting; their full reports are gates/<gate>.json in the run commit."),
  override: z
    .object({ reason: z.string(), by: z.string(), gates: z.array(z.string()) })
    .optional()
    .describe("Set when a failed gate was overridden with override_reason."),
});
export type TrainModelOutput = z.infer<typeof TrainModelOutput>;

/**
 * Trains a model on a dataset — a fitted preprocessing pipeline (imputation, one-hot encoding,
 * date parts, scaling where the algorithm needs it) and an estimator — evaluates it on held-out
 * rows or by k-fold, and snapshots the run as a git commit (parameters, metrics, data manifest,
 * model, and the notebook and cell it came from) under refs/dw/runs/<run_id>. A failed run writes
 * nothing.
 *
 * @example
 * ```ts
 * const run = await dw.trainModel({ dataset_id: "seattle-weather", target: "weather", algorithm: "random_forest" });
 * run.metrics.accuracy;
 * ```
 */
export const trainModel = defineTool({
  name: "train_model",
  annotations: { effect: "writes", long: true },
  description:
    "Train a model (linear or logistic regression, decision tree, random forest, gradient boosting) on a dataset, evaluate it on held-out rows, and snapshot the run (parameters, metrics, data manifest, model, notebook) as a git commit.",
  input: TrainModelInput,
  output: TrainModelOutput,
  magic: { aliases: { data: "dataset_id" } },
  // Recorded in .dw/trainings/ while it runs, so get_ml_status and the sidebar see its stage and progress.
  run: (input, outer) =>
    recordTraining(outer, { tool: "train_model", dataset_id: input.dataset_id, target: input.target, algorithm: input.algorithm }, (ctx, stage) =>
      train(input, ctx, stage),
    ),
});

async function train(input: TrainModelInput, ctx: ToolContext, stage: SetStage): Promise<TrainModelOutput> {
  stage("loading data");
  const t0 = performance.now();
  const deadline = input.time_budget_seconds !== undefined ? Date.now() + input.time_budget_seconds * 1000 : Infinity;
  const estimator = estimatorOf(input.algorithm);
  const hyperparameters: Record<string, unknown> = parseHyperparameters(estimator, input.hyperparameters, input.algorithm);
  // An unknown experiment fails the run before any work, not after.
  if (input.experiment !== undefined) await readExperiment(ctx.workspace, input.experiment);
  const data = await prepareTrainingData(ctx.workspace, {
    datasetId: input.dataset_id,
    target: input.target,
    features: input.features,
    task: input.task,
    algorithm: input.algorithm,
    pipeline: input.pipeline,
    pipelineVersion: input.pipeline_version,
    featuresOption: "--features",
  });
  const { record, task, featureNames, classes } = data;
  if (data.keep.length < 10) {
    throw new DwError("DATA_ERROR", `Only ${data.keep.length} rows have a target value: too few to train and evaluate.`, { hint: "Use more data." });
  }
  // The gates run on the data as given, before any fitting; a block writes nothing.
  stage("checking gates");
  const reports = await runTrainingGates(ctx, {
    datasetId: record.dataset_id,
    ds: data.ds,
    target: input.target,
    features: featureNames,
    algorithm: input.algorithm,
    task,
    hyperparameters,
    classes: data.nClasses || undefined,
  });
  const gated = enforceGates("train_model", reports, { reason: input.override_reason, by: await defaultReviewer(ctx.workspace), at: ctx.now() });
  const tLoad = performance.now();
  stage("fitting");
  const plan = { data, estimator, hyperparameters, seed: input.seed, requireMoreRowsThanFeatures: true, deadline, signal: ctx.signal };
  const fitted = await fitAndEvaluate(
    { ...plan, onProgress: fitProgress(input.algorithm, plan, ctx.progress) },
    { testSize: input.test_size, cvFolds: input.cv_folds },
  );
  const { final, metrics, confusion, evaluation, budgetHit } = fitted;

  stage("recording the run");
  const now = ctx.now();
  const runId = newRunId(now);
  const note = trainingNote(input.algorithm, estimator, budgetHit ? { seconds: input.time_budget_seconds!, model: final.predictor.json } : undefined);
  const timings = { load_s: secs(tLoad - t0), fit_s: secs(fitted.fitMs), evaluate_s: secs(fitted.evaluateMs), total_s: secs(performance.now() - t0) };
  const named = data.named;
  const parameters = {
    dataset_id: input.dataset_id,
    target: input.target,
    features: featureNames,
    algorithm: input.algorithm,
    task,
    hyperparameters,
    test_size: input.test_size,
    cv_folds: input.cv_folds ?? null,
    seed: input.seed,
    ...(named ? { pipeline: { name: named.pipeline.name, version: named.pipeline.version, commit: named.commit } } : {}),
  };
  const model = trainedModelJson(data, final, { algorithm: input.algorithm, hyperparameters, trainRows: fitted.trainRows, runId, now });
  const commit = await writeRun(
    ctx.workspace,
    {
      runId,
      now,
      parameters,
      metrics,
      confusion,
      evaluatedOn: evaluation === "holdout" ? `holdout ${fitted.nTest} rows` : `${input.cv_folds}-fold`,
      timings,
      dataset: { record, rowsUsed: data.keep.length },
      gates: { reports, files: gated.files, override: gated.override },
      model,
      references: { [TRAINING_SNAPSHOT_PATH]: documentText(buildTrainingSnapshot(data.ds, [...featureNames, input.target])) },
      note,
      origin: ctx.origin,
    },
    input.experiment !== undefined ? experimentAttachment(ctx.workspace, input.experiment) : undefined,
  );
  return {
    run_id: runId,
    model_id: runId,
    commit,
    dataset_id: record.dataset_id,
    algorithm: input.algorithm,
    estimator,
    ...(note ? { note } : {}),
    task,
    target: input.target,
    ...(classes ? { classes } : {}),
    features: featureNames,
    encoded_features: final.pipeline.feature_names,
    hyperparameters,
    evaluation,
    metrics,
    ...(confusion ? { confusion_matrix: confusion } : {}),
    rows: { train: fitted.trainRows.length, test: fitted.nTest, dropped_missing: data.ds.rows - data.keep.length },
    model: describeEstimator(final.predictor.json, final.pipeline.feature_names),
    timings: { ...timings, total_s: secs(performance.now() - t0) },
    ...(input.experiment !== undefined ? { experiment: input.experiment } : {}),
    ...(budgetHit ? { stopped_early: true } : {}),
    gates: reports.map((r) => ({ gate: r.gate, status: r.status, summary: r.summary })),
    ...(gated.override ? { override: { reason: gated.override.reason, by: gated.override.by, gates: gated.override.gates } } : {}),
  };
}

/** What the user should know about the fit: xgboost and lightgbm are dw's boosting; a spent time budget left fewer trees. */
function trainingNote(algorithm: Algorithm, estimator: Estimator, budget: { seconds: number; model: EstimatorJson } | undefined): string | undefined {
  const notes = [
    estimator !== algorithm
      ? `${algorithm} was trained with dw's histogram gradient boosting (the same family of algorithm); the ${algorithm} library itself is not used.`
      : undefined,
    budget
      ? `The time budget of ${budget.seconds} s ran out: the model has fewer trees or iterations than asked (${JSON.stringify(describeEstimator(budget.model, []))}).`
      : undefined,
  ].filter((n): n is string => n !== undefined);
  return notes.length ? notes.join(" ") : undefined;
}

const secs = (ms: number) => Math.round(ms) / 1000;
