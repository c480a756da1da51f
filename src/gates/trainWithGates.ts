import { DwError } from "../errors/DwError.js";
import { describeEstimator, estimatorOf, type Algorithm, type Estimator, type EstimatorJson, type Task } from "../models/estimators.js";
import { parseHyperparameters } from "../models/hyperparameters.js";
import { newRunId } from "../runs/runId.js";
import { writeRun } from "../runs/writeRun.js";
import type { RunOrigin } from "../runs/RunOrigin.js";
import { readExperiment } from "../experiments/readExperiment.js";
import { runTrainingGates } from "./runTrainingGates.js";
import { dataVersion } from "../data/profileCacheKey.js";
import { enforceGates } from "./enforceGates.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import type { GateStatus } from "../policy/GateReport.js";
import { prepareTrainingData } from "../training/prepareTrainingData.js";
import { fitAndEvaluate } from "../training/fitAndEvaluate.js";
import { fitProgress } from "../training/fitOnRows.js";
import { trainedModelJson } from "../training/trainedModelJson.js";
import { TRAINING_SNAPSHOT_PATH, buildTrainingSnapshot } from "../quality/trainingSnapshot.js";
import { documentText } from "../workspace/documentText.js";
import type { DomainContext } from "../workspace/DomainContext.js";
import { buildDriftReference } from "../monitoring/reference/buildDriftReference.js";
import { experimentAttachment } from "../training/experimentAttachment.js";
import type { TrainingDecisions } from "../training/TrainingDecisions.js";
import { trainingDecisions } from "./trainingDecisions.js";
import type { SetStage } from "../runs/recordTraining.js";
import type { TrainingData } from "../training/prepareTrainingData.js";
import { startColumnOrderStats, type ColumnOrderStatsJob } from "./startColumnOrderStats.js";
import { stageTrainingMatrix } from "../training/stageTrainingMatrix.js";
import { defaultAlgorithm } from "../training/defaultAlgorithm.js";
import type { AlgorithmDecision } from "../training/TrainingDecisions.js";
import type { StagedMatrix } from "../models/fitInWorker.js";

/** What a training needs, as train_model takes it (its parsed input is one) and retraining repeats it. */
export interface TrainSpec {
  dataset_id: string;
  target: string;
  features?: string[];
  /** The algorithm asked for; none: defaultAlgorithm of the task (decisions.algorithm says which). */
  algorithm?: Algorithm;
  task?: Task;
  hyperparameters: Record<string, unknown>;
  test_size: number;
  cv_folds?: number;
  seed: number;
  experiment?: string;
  time_budget_seconds?: number;
  pipeline?: string;
  pipeline_version?: number;
  override_reason?: string;
  /** Whose training spec this repeats (retraining: "temp v1"), so the decisions say where the task and features came from. */
  repeats?: string;
  /** More files the run commit records by path, e.g. `data/sample.json` for a training on a SQL table's seeded sample. */
  recordFiles?: Record<string, string>;
}

/** The domain context plus where the call came from, recorded in the run commit. */
export interface TrainContext extends DomainContext {
  origin?: RunOrigin;
}

/** What a training made: the run, its model, its metrics and the gates it passed; train_model answers with it. */
export interface TrainedRun {
  run_id: string;
  model_id: string;
  commit: string;
  dataset_id: string;
  algorithm: string;
  estimator: string;
  note?: string;
  task: Task;
  target: string;
  classes?: (string | number | boolean)[];
  features: string[];
  encoded_features: string[];
  hyperparameters: Record<string, unknown>;
  evaluation: "holdout" | "kfold";
  metrics: Record<string, number>;
  confusion_matrix?: number[][];
  rows: { train: number; test: number; dropped_missing: number };
  model: Record<string, unknown>;
  timings: { load_s: number; fit_s: number; evaluate_s: number; total_s: number };
  experiment?: string;
  stopped_early?: boolean;
  gates: { gate: string; status: GateStatus; summary: string }[];
  override?: { reason: string; by: string; gates: string[] };
  /** What the training decided for the user and why: task, features, gates. */
  decisions: TrainingDecisions;
}

/**
 * Trains a model as train_model does: prepares the data (a named feature pipeline or dw's default
 * preprocessing), runs the quality, governance and cost gates before fitting (a failed gate blocks
 * unless overridden with a reason), fits and evaluates (holdout or k-fold), and writes the run
 * commit under refs/dw/runs/<run_id>. A failed training writes nothing. In the gates layer so the
 * tool and retraining share one path.
 *
 * @example
 * ```ts
 * const run = await trainWithGates({ dataset_id: "houses", target: "price", algorithm: "random_forest", hyperparameters: {}, test_size: 0.2, seed: 42 }, ctx, () => {});
 * ```
 */
export async function trainWithGates(spec: TrainSpec, ctx: TrainContext, stage: SetStage): Promise<TrainedRun> {
  const input = spec;
  stage("loading data");
  const t0 = performance.now();
  const deadline = input.time_budget_seconds !== undefined ? Date.now() + input.time_budget_seconds * 1000 : Infinity;
  // Hyperparameters for an algorithm asked for fail the run before any work, not after.
  if (spec.algorithm !== undefined) parseHyperparameters(estimatorOf(spec.algorithm), spec.hyperparameters, spec.algorithm);
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
    ...(input.repeats !== undefined ? { repeats: input.repeats } : {}),
  });
  if (data.keep.length < 10) {
    throw new DwError("DATA_ERROR", `Only ${data.keep.length} rows have a target value: too few to train and evaluate.`, { hint: "Use more data." });
  }
  const algorithm = spec.algorithm ?? defaultAlgorithm(data.task);
  const estimator = estimatorOf(algorithm);
  const hyperparameters: Record<string, unknown> = parseHyperparameters(estimator, spec.hyperparameters, algorithm);
  const algorithmDecision = {
    value: algorithm,
    rule:
      spec.algorithm === undefined
        ? `no algorithm was asked for: ${algorithm} is dw's default for a ${data.task} (select_model compares the others on this data)`
        : spec.repeats !== undefined
          ? `the algorithm ${spec.repeats} was trained with`
          : `${algorithm} was asked for`,
  };
  // What the run stores about its number columns (snapshot, drift reference, reference stats) is
  // computed on another thread while this one runs the gates and the fit; a failed training ends it.
  const split = { seed: input.seed, testSize: input.test_size, cvFolds: input.cv_folds };
  const orderStats = startColumnOrderStats(data, split);
  // The feature matrix too is built meanwhile, on the fit worker, when it is the features' numbers (see stageTrainingMatrix).
  const staged = stageTrainingMatrix(data, estimator, split);
  try {
    return await gateFitAndRecord({ ...spec, algorithm }, ctx, stage, {
      t0,
      deadline,
      estimator,
      hyperparameters,
      data,
      orderStats,
      staged,
      algorithmDecision,
    });
  } finally {
    orderStats.cancel();
    staged?.release();
  }
}

/** trainWithGates once the data is read: the gates, the fit and evaluation, then the run commit. */
async function gateFitAndRecord(
  input: TrainSpec & { algorithm: Algorithm },
  ctx: TrainContext,
  stage: SetStage,
  o: {
    algorithmDecision: AlgorithmDecision;
    t0: number;
    deadline: number;
    estimator: Estimator;
    hyperparameters: Record<string, unknown>;
    data: TrainingData;
    orderStats: ColumnOrderStatsJob;
    staged: StagedMatrix | undefined;
  },
): Promise<TrainedRun> {
  const { t0, deadline, estimator, hyperparameters, data, orderStats, staged, algorithmDecision } = o;
  const { record, task, featureNames, classes } = data;
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
    // prepareTrainingData read exactly the registered dataset's columns: its version names them.
    version: dataVersion(ctx.workspace, record),
  });
  const gated = enforceGates("train_model", reports, { reason: input.override_reason, by: await defaultReviewer(ctx.workspace), at: ctx.now() });
  const decisions = await trainingDecisions(ctx, data, reports, algorithmDecision);
  const tLoad = performance.now();
  stage("fitting");
  const plan = {
    data,
    estimator,
    hyperparameters,
    seed: input.seed,
    requireMoreRowsThanFeatures: true,
    deadline,
    signal: ctx.signal,
    // The statistics thread sorts the training rows of every number column: the imputer's medians come with that sort (below).
    mediansLater: true,
    staged,
  };
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
  // The statistics the worker computed meanwhile, for the rows the fit used.
  const computed = await orderStats.take(fitted.trainRows);
  // The medians the fit left (columns with no missing value, so neither the fit nor the evaluation
  // read them) before the pipeline is stored: from the same sort, else by selection as before.
  for (const d of final.deferred) d.fill(computed?.medians.get(d.column));
  const model = trainedModelJson(data, final, {
    algorithm: input.algorithm,
    hyperparameters,
    trainRows: fitted.trainRows,
    runId,
    now,
    referenceStats: computed?.stats,
  });
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
      references: {
        [TRAINING_SNAPSHOT_PATH]: documentText(buildTrainingSnapshot(data.ds, [...featureNames, input.target], computed?.snapshot)),
        // What drift checks compare served traffic with, so none reloads this data or model.
        ...buildDriftReference({
          runId,
          ds: data.ds,
          data: { dataset_id: record.dataset_id, sha256: record.sha256 },
          model: { json: model, predictor: final.predictor },
          performance: { evaluation, metrics },
          seed: input.seed,
          numbers: computed?.drift,
        }).files,
        ...input.recordFiles,
      },
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
    decisions,
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
