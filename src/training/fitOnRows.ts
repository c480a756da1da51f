import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError } from "../errors/DwError.js";
import type { FeatureMatrix } from "../models/FeatureMatrix.js";
import { fitInStagedWorker, fitInWorker, type FitOutcome, type StagedMatrix } from "../models/fitInWorker.js";
import type { NumericStepValues } from "../models/numericStepValues.js";
import { sameRows } from "./sameRows.js";
import { scalesFeatures } from "./scalesFeatures.js";
import { fitOnThread, fitsOnThread } from "./fitOnThread.js";
import type { Estimator, Predictor } from "../models/estimators.js";
import { resolvedHyperparameters } from "../models/hyperparameters.js";
import { fitPipelineDeferred, transform, type DeferredMedian, type Pipeline } from "../models/preprocessing.js";
import { rowAccessor } from "../models/rowAccessor.js";
import type { TrainingData } from "./prepareTrainingData.js";

/** What to fit on a set of rows, and how the caller follows and stops it. */
export interface FitPlan {
  data: TrainingData;
  estimator: Estimator;
  hyperparameters: Record<string, unknown>;
  seed: number;
  /** Refuse a fit with at least as many encoded features as training rows (train_model); select_model's probes allow it. */
  requireMoreRowsThanFeatures?: boolean;
  /** Date.now() after which no further tree or boosting iteration is started; the model keeps what it has. */
  deadline?: number;
  /**
   * Build at most this many trees or boosting iterations, then stop as a spent deadline stops
   * (the model records stoppedEarly): reproduce_run rebuilds a run its time budget ended.
   */
  stopAfter?: number;
  /** Aborting it stops the fit between two trees: the fit then throws INTERRUPTED. */
  signal?: AbortSignal;
  /** Called from time to time during a fit with the trees or iterations built so far. */
  onProgress?: (done: number) => void;
  /**
   * Leave the medians fitPipelineDeferred defers (columns with no missing value in the whole
   * dataset) to the caller, as FittedModel.deferred: train_model takes them from its statistics
   * thread's sort (gates/startColumnOrderStats.ts) once it has evaluated the model, which reads
   * none of them on rows of this dataset. The pipeline must not be stored, or used on other data,
   * before each is filled.
   */
  mediansLater?: boolean;
  /**
   * The matrix of the training rows' raw feature values, built on the fit worker while the caller
   * ran its gates (training/stageTrainingMatrix.ts): fitOnRows fits on it when it holds exactly
   * these rows and the pipeline's steps are numeric steps of its columns, else builds its own.
   */
  staged?: StagedMatrix;
}

/** A fitted preprocessing pipeline and estimator. */
export interface FittedModel {
  pipeline: Pipeline;
  predictor: Predictor;
  /** The deadline ended the fit before every tree or iteration was built. */
  budgetHit: boolean;
  /** The medians left to the caller (FitPlan.mediansLater); empty otherwise. */
  deferred: readonly DeferredMedian[];
}

/**
 * Fits the preprocessing on `rows`, then the estimator on a worker thread, so the caller's event
 * loop stays free for an interrupt: an aborted signal stops the fit between two trees (or before
 * it starts) with INTERRUPTED, and nothing the caller would write is written. A fit that takes
 * less than starting a worker (a quick estimator on a small matrix, see fitOnThread) is made on
 * the calling thread under the same rules.
 *
 * @example
 * ```ts
 * const m = await fitOnRows({ data, estimator: "random_forest", hyperparameters: {}, seed: 42, signal }, trainRows);
 * ```
 */
export async function fitOnRows(plan: FitPlan, rows: Int32Array): Promise<FittedModel> {
  if (plan.signal?.aborted) throw interrupted();
  const { data } = plan;
  // A matrix staged on these rows comes with the numeric steps the worker fitted on them while the
  // gates ran (the numbers fitPipelineDeferred would compute), so this thread need not read the rows.
  const scale = scalesFeatures(plan.estimator);
  const known = plan.staged && (await stagedStepValues(plan.staged, data, rows, scale));
  const { pipeline, deferred, imputeLater } = fitPipelineDeferred(data.features, rows, { scale, spec: data.spec, known });
  if (plan.requireMoreRowsThanFeatures && pipeline.feature_names.length >= rows.length) {
    throw new DwError(
      "DATA_ERROR",
      `${pipeline.feature_names.length} features after encoding but only ${rows.length} training rows: more features than rows cannot be learned reliably.`,
      {
        hint: "Use fewer features (or fewer categories), or more data.",
        details: { field: "features", features: pipeline.feature_names.length, rows: rows.length },
      },
    );
  }
  const options = { deadline: plan.deadline, stopAfter: plan.stopAfter, signal: plan.signal, onProgress: plan.onProgress };
  const { estimator, hyperparameters, seed } = plan;
  // A fit shorter than handing it to a worker is made here (fitOnThread says which); X and y are
  // new arrays either way, moved to the worker without a copy, unless the worker built them
  // already (plan.staged). The training rows' matrix does not read the medians left for later (see
  // fitPipelineDeferred). While a worker fits, this thread computes them, unless the caller takes
  // them from elsewhere (mediansLater): on a large table they take as long as the fit.
  let outcome: FitOutcome;
  if (fitsOnThread(estimator, rows.length, pipeline.feature_names.length)) {
    outcome = fitOnThread(estimator, data.task, matrixOf(data, pipeline, rows), targetOf(data, rows), data.nClasses, hyperparameters, seed, options);
    if (!plan.mediansLater) imputeLater();
  } else {
    const staged = known && plan.staged && stagedFits(plan.staged, known, data, pipeline) ? plan.staged : undefined;
    const fitting = staged
      ? fitInStagedWorker(staged, estimator, data.task, rows.length, data.nClasses, hyperparameters, seed, options)
      : fitInWorker(estimator, data.task, matrixOf(data, pipeline, rows), targetOf(data, rows), data.nClasses, hyperparameters, seed, options);
    let failed: { error: unknown } | undefined;
    try {
      if (!plan.mediansLater) imputeLater();
    } catch (error) {
      failed = { error };
    }
    // The worker's answer is awaited even when the medians failed, so that no fit is left running.
    outcome = await fitting;
    if (failed) throw failed.error;
  }
  if (outcome.interrupted) throw interrupted();
  return { pipeline, predictor: outcome.predictor, budgetHit: outcome.budgetHit, deferred: plan.mediansLater ? deferred : [] };
}

/**
 * The numeric step values the worker fitted for a staged matrix, by column, when it holds exactly
 * these rows, standardised as asked, and is not taken yet; undefined otherwise. Waits for the
 * worker to finish (no longer than fitting the steps and building the matrix here would take).
 */
async function stagedStepValues(
  staged: StagedMatrix,
  data: TrainingData,
  rows: Int32Array,
  scale: boolean,
): Promise<ReadonlyMap<string, NumericStepValues> | undefined> {
  if (staged.used || staged.scale !== scale || staged.columns.length !== data.features.length) return undefined;
  const [built, steps] = await Promise.all([staged.rows, staged.steps]);
  if (!built || !steps || staged.used || !sameRows(built, rows)) return undefined;
  return new Map(staged.columns.map((c, k) => [c, steps[k]]));
}

/**
 * Whether the staged matrix is the one transform would build with this pipeline: a numeric step
 * (no log1p) of each of its columns, in its order, with the very numbers it was built with.
 */
function stagedFits(staged: StagedMatrix, known: ReadonlyMap<string, NumericStepValues>, data: TrainingData, pipeline: Pipeline): boolean {
  const { steps } = pipeline;
  if (steps.length !== staged.columns.length) return false;
  return steps.every((step, k) => {
    const fitted = known.get(staged.columns[k]);
    if (step.kind !== "numeric" || step.log1p || !fitted || step.column !== staged.columns[k] || data.features[k]?.name !== step.column) return false;
    const a = step.scale ?? { mean: 0, std: 1 };
    const b = fitted.scale ?? { mean: 0, std: 1 };
    return Object.is(step.impute, fitted.impute) && Object.is(a.mean, b.mean) && Object.is(a.std, b.std);
  });
}

/** The feature matrix of these dataset rows through a fitted pipeline. */
export function matrixOf(data: TrainingData, pipeline: Pipeline, rows: Int32Array): FeatureMatrix {
  return transform(pipeline, rows.length, rowAccessor(data.ds, rows));
}

/** The target of these dataset rows: values, or class indices. */
export function targetOf(data: TrainingData, rows: Int32Array): Float64Array {
  const y = data.y;
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = y[rows[k]];
  return out;
}

/**
 * A progress callback for fits of `estimator`, saying "random_forest: 40 of 100 trees built": the
 * total is the number of trees or boosting iterations asked for (none for a single tree or a
 * linear model).
 */
export function fitProgress(
  algorithm: string,
  plan: Pick<FitPlan, "data" | "estimator" | "hyperparameters">,
  progress: DomainContext["progress"],
): ((done: number) => void) | undefined {
  if (!progress) return undefined;
  const unit = plan.estimator === "gradient_boosting" ? "iterations" : "trees";
  const total =
    plan.estimator === "random_forest"
      ? resolvedHyperparameters("random_forest", plan.data.task, plan.hyperparameters).n_estimators
      : plan.estimator === "gradient_boosting"
        ? resolvedHyperparameters("gradient_boosting", plan.data.task, plan.hyperparameters).max_iter
        : undefined;
  return (done) => progress({ message: `${algorithm}: ${done}${total ? ` of ${total}` : ""} ${unit} built`, done, total });
}

function interrupted(): DwError {
  return new DwError("INTERRUPTED", "Training was interrupted; nothing was written.", {
    hint: "Run the cell again, with time_budget_seconds to bound a long fit.",
  });
}
