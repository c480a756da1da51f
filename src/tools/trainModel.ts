import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { readDataset } from "../data/readDataset.js";
import { requireColumn } from "../data/requireColumn.js";
import { shuffledIndices } from "../models/random.js";
import { featureStats } from "../models/featureStats.js";
import { fitPipeline, inputSignature, transform, MAX_CATEGORIES, type Pipeline } from "../models/preprocessing.js";
import { modelJsonText } from "../models/modelJsonText.js";
import { ALGORITHMS, HYPERPARAMETERS, TASKS, describeEstimator, estimatorOf, type Task } from "../models/estimators.js";
import { fitInWorker } from "../models/fitInWorker.js";
import { evaluatePredictor } from "../models/evaluate.js";
import { checkFeature, datasetAccessor, defaultFeatures, inferTask, readTarget } from "../models/trainingData.js";
import type { ModelJson } from "../models/ModelJson.js";
import { newRunId, runRef } from "../runs/runId.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { readExperiment } from "../experiments/readExperiment.js";
import { readFeaturePipeline } from "../pipelines/readFeaturePipeline.js";
import { pipelineSpec } from "../pipelines/pipelineSpec.js";
import { attachRunToExperiment } from "../experiments/attachRunToExperiment.js";
import { runTrainingGates } from "../gates/runTrainingGates.js";
import { OverrideReason, enforceGates } from "../gates/enforceGates.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import { GateStatus } from "../policy/GateReport.js";
import { TRAINING_SNAPSHOT_PATH, buildTrainingSnapshot } from "../quality/trainingSnapshot.js";

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
  async run(input, ctx) {
    const t0 = performance.now();
    const deadline = input.time_budget_seconds !== undefined ? Date.now() + input.time_budget_seconds * 1000 : Infinity;
    let budgetHit = false;
    const estimator = estimatorOf(input.algorithm);
    const hp = HYPERPARAMETERS[estimator].safeParse(input.hyperparameters);
    if (!hp.success) {
      const allowed = Object.keys((HYPERPARAMETERS[estimator] as z.ZodObject).shape);
      throw new DwError(
        "INVALID_INPUT",
        `Bad hyperparameters for ${input.algorithm}: ${hp.error.issues.map((i) => (i.code === "unrecognized_keys" ? `unknown ${i.keys.map((k) => `'${k}'`).join(", ")}` : `${i.path.join(".") || "(root)"}: ${i.message}`)).join("; ")}.`,
        {
          hint: `${input.algorithm} takes: ${allowed.join(", ")}.`,
          details: { field: "hyperparameters", allowed },
        },
      );
    }
    const hyperparameters = hp.data as Record<string, unknown>;
    // An unknown experiment fails the run before any work, not after.
    if (input.experiment !== undefined) await readExperiment(ctx.workspace, input.experiment);
    const { record, ds } = await readDataset(ctx.workspace, input.dataset_id);

    const targetCol = requireColumn(ds, input.target, "target", record.dataset_id);
    const task: Task = input.task ?? (estimator === "logistic_regression" ? "classification" : inferTask(targetCol));
    if (!TASKS[estimator].includes(task)) {
      throw new DwError("INVALID_INPUT", `${input.algorithm} cannot learn a ${task} task (target '${input.target}' holds ${targetCol.type} values).`, {
        hint:
          task === "classification"
            ? "Use logistic_regression, decision_tree, random_forest or gradient_boosting."
            : "Use linear_regression, decision_tree, random_forest or gradient_boosting.",
        details: { field: "algorithm" },
      });
    }
    const named = input.pipeline !== undefined ? await readFeaturePipeline(ctx.workspace, input.pipeline, input.pipeline_version) : undefined;
    if (input.pipeline_version !== undefined && !named) {
      throw new DwError("INVALID_INPUT", "pipeline_version needs pipeline.", { hint: "Pass --pipeline NAME too.", details: { field: "pipeline_version" } });
    }
    const featureNames = input.features ?? named?.pipeline.features ?? defaultFeatures(ds, input.target);
    const spec = named ? pipelineSpec(named.pipeline, ds, featureNames, input.pipeline!) : undefined;
    if (featureNames.length === 0) {
      throw new DwError("INVALID_INPUT", `Dataset '${input.dataset_id}' has no usable column besides the target '${input.target}'.`, {
        hint: "Pass --features.",
        details: { field: "features" },
      });
    }
    if (featureNames.includes(input.target)) {
      throw new DwError("INVALID_INPUT", `The target '${input.target}' is also listed as a feature.`, {
        hint: "Remove it from --features.",
        details: { field: "features" },
      });
    }
    const features = featureNames.map((f) => checkFeature(requireColumn(ds, f, "features", record.dataset_id), record.source));

    // The target: values for regression, class indices for classification. Rows without one are dropped.
    const { y: yAll, keep, classes } = readTarget(targetCol, task, record.source);
    if (keep.length < 10) {
      throw new DwError("DATA_ERROR", `Only ${keep.length} rows have a target value: too few to train and evaluate.`, { hint: "Use more data." });
    }
    const nClasses = classes?.length ?? 0;
    // The gates run on the data as given, before any fitting; a block writes nothing.
    const reports = await runTrainingGates(ctx, {
      datasetId: record.dataset_id,
      ds,
      target: input.target,
      features: featureNames,
      algorithm: input.algorithm,
      task,
      hyperparameters,
      classes: nClasses || undefined,
    });
    const gated = enforceGates("train_model", reports, { reason: input.override_reason, by: await defaultReviewer(ctx.workspace), at: ctx.now() });
    const order = shuffledIndices(keep.length, input.seed);
    const rowsOf = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, r) => keep[order[from + r]]);
    const scale = estimator === "logistic_regression";
    const matrix = (pipeline: Pipeline, rows: Int32Array) => transform(pipeline, rows.length, datasetAccessor(ds, rows));
    const targetOf = (rows: Int32Array) => Float64Array.from(rows, (i) => yAll[i]);
    const unit = estimator === "gradient_boosting" ? "iterations" : "trees";
    const total =
      estimator === "random_forest"
        ? ((hyperparameters.n_estimators as number | undefined) ?? 100)
        : estimator === "gradient_boosting"
          ? ((hyperparameters.max_iter as number | undefined) ?? 100)
          : undefined;
    // Fits run on a worker thread, so an interrupt reaches us between two trees.
    const fit = async (rows: Int32Array) => {
      const pipeline = fitPipeline(features, rows, { scale, spec });
      if (pipeline.feature_names.length >= rows.length) {
        throw new DwError(
          "DATA_ERROR",
          `${pipeline.feature_names.length} features after encoding but only ${rows.length} training rows: more features than rows cannot be learned reliably.`,
          {
            hint: "Use fewer features (or fewer categories), or more data.",
            details: { field: "features", features: pipeline.feature_names.length, rows: rows.length },
          },
        );
      }
      const outcome = await fitInWorker(estimator, task, matrix(pipeline, rows), targetOf(rows), nClasses, hyperparameters, input.seed, {
        deadline,
        signal: ctx.signal,
        onProgress: (done) => ctx.progress?.({ message: `${input.algorithm}: ${done}${total ? ` of ${total}` : ""} ${unit} built`, done, total }),
      });
      if (outcome.interrupted) {
        throw new DwError("INTERRUPTED", "Training was interrupted; nothing was written.", {
          hint: "Run the cell again, with time_budget_seconds to bound a long fit.",
        });
      }
      budgetHit ||= outcome.budgetHit;
      return { pipeline, predictor: outcome.predictor };
    };
    const tLoad = performance.now();

    let metrics: Record<string, number>;
    let confusion: number[][] | undefined;
    let trainRows: Int32Array;
    let nTest: number;
    let final: Awaited<ReturnType<typeof fit>>;
    let fitMs = 0;
    let evalMs = 0;
    if (input.cv_folds === undefined) {
      nTest = Math.max(1, Math.round(keep.length * input.test_size));
      trainRows = rowsOf(0, keep.length - nTest);
      const testRows = rowsOf(keep.length - nTest, keep.length);
      const a = performance.now();
      final = await fit(trainRows);
      const b = performance.now();
      const ev = evaluatePredictor(task, final.predictor, matrix(final.pipeline, testRows), targetOf(testRows), nClasses);
      evalMs = performance.now() - b;
      fitMs = b - a;
      metrics = ev.metrics;
      confusion = ev.confusion_matrix;
    } else {
      const k = input.cv_folds;
      if (keep.length < k * 2)
        throw new DwError("INVALID_INPUT", `${keep.length} rows are too few for ${k}-fold cross-validation.`, { details: { field: "cv_folds" } });
      const sums: Record<string, number> = {};
      const counts: Record<string, number> = {};
      for (let f = 0; f < k; f++) {
        const lo = Math.floor((f * keep.length) / k);
        const hi = Math.floor(((f + 1) * keep.length) / k);
        const test = rowsOf(lo, hi);
        const train = Int32Array.from([...rowsOf(0, lo), ...rowsOf(hi, keep.length)]);
        const a = performance.now();
        const m = await fit(train);
        const b = performance.now();
        const ev = evaluatePredictor(task, m.predictor, matrix(m.pipeline, test), targetOf(test), nClasses);
        evalMs += performance.now() - b;
        fitMs += b - a;
        for (const [key, v] of Object.entries(ev.metrics)) {
          sums[key] = (sums[key] ?? 0) + v;
          counts[key] = (counts[key] ?? 0) + 1;
        }
      }
      metrics = Object.fromEntries(Object.entries(sums).map(([key, s]) => [key, s / counts[key]]));
      trainRows = rowsOf(0, keep.length);
      nTest = keep.length;
      const a = performance.now();
      final = await fit(trainRows);
      fitMs += performance.now() - a;
    }
    for (const [key, v] of Object.entries(metrics)) {
      if (!Number.isFinite(v)) delete metrics[key];
    }

    const now = ctx.now();
    const runId = newRunId(now);
    const notes = [
      estimator !== input.algorithm
        ? `${input.algorithm} was trained with dw's histogram gradient boosting (the same family of algorithm); the ${input.algorithm} library itself is not used.`
        : undefined,
      budgetHit
        ? `The time budget of ${input.time_budget_seconds} s ran out: the model has fewer trees or iterations than asked (${JSON.stringify(describeEstimator(final.predictor.json, []))}).`
        : undefined,
    ].filter((n): n is string => n !== undefined);
    const note = notes.length ? notes.join(" ") : undefined;
    const numericInputs = features.filter((c) => c.type === "number");
    const model: ModelJson = {
      format: "dw.model/1",
      algorithm: input.algorithm,
      task,
      target: input.target,
      ...(classes ? { classes } : {}),
      hyperparameters,
      signature: {
        inputs: inputSignature(final.pipeline),
        outputs: [
          {
            name: input.target,
            type: task === "regression" ? "double" : targetCol.type === "number" ? "double" : targetCol.type === "boolean" ? "boolean" : "string",
          },
        ],
      },
      preprocessing: final.pipeline,
      params: final.predictor.json as unknown as ModelJson["params"],
      training_data: { dataset_id: record.dataset_id, sha256: record.sha256, rows: trainRows.length },
      reference_stats: Object.fromEntries(numericInputs.map((c) => [c.name, featureStats(Float64Array.from(trainRows, (i) => (c.values as Float64Array)[i]))])),
      created_at: now.toISOString(),
      run_id: runId,
    };
    const evaluation = input.cv_folds === undefined ? ("holdout" as const) : ("kfold" as const);
    const timings = { load_s: secs(tLoad - t0), fit_s: secs(fitMs), evaluate_s: secs(evalMs), total_s: secs(performance.now() - t0) };
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
    const run: RunRecord = {
      run_id: runId,
      tool: "train_model",
      created_at: now.toISOString(),
      algorithm: input.algorithm,
      task,
      target: input.target,
      features: featureNames,
      parameters,
      metrics,
      timings,
      data: {
        dataset_id: record.dataset_id,
        source: record.source,
        sha256: record.sha256,
        size_bytes: record.size_bytes,
        rows: record.rows,
        rows_used: keep.length,
        columns: record.columns,
      },
      origin: { via: ctx.origin?.via ?? "api", notebook_path: ctx.origin?.notebook?.path, has_cell: ctx.origin?.cell !== undefined },
    };
    const files: Record<string, string> = {
      "run.json": json(run),
      "params.json": json(parameters),
      "metrics.json": json(confusion ? { ...metrics, confusion_matrix: confusion } : metrics),
      "data/manifest.json": json({
        ...run.data,
        format: record.format,
        ...(record.delimiter !== undefined ? { delimiter: record.delimiter } : {}),
        schema: record.columns,
      }),
      [TRAINING_SNAPSHOT_PATH]: json(buildTrainingSnapshot(ds, [...featureNames, input.target])),
      ...gated.files,
      "model.json": modelJsonText(model),
    };
    if (ctx.origin?.cell !== undefined) files["cell.ts"] = ctx.origin.cell;
    if (ctx.origin?.notebook) files["notebook.ipynb"] = ctx.origin.notebook.content;
    const message = [
      `dw run ${runId}: ${input.algorithm} ${input.target} ~ ${featureNames.join(" + ")}`,
      "",
      `metrics (${evaluation === "holdout" ? `holdout ${nTest} rows` : `${input.cv_folds}-fold`}): ${Object.entries(metrics)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(" ")}`,
      `data: ${record.source} (${record.dataset_id}) sha256:${record.sha256.slice(0, 12)} ${record.rows} rows, ${keep.length} used`,
      `params: task=${task} seed=${input.seed} hyperparameters=${JSON.stringify(hyperparameters)}`,
      `gates: ${reports.map((r) => `${r.gate}=${r.status}`).join(" ")}`,
      gated.override ? `override (${gated.override.gates.join(", ")}) by ${gated.override.by}: ${gated.override.reason}` : undefined,
      note,
      ctx.origin?.notebook ? `notebook: ${ctx.origin.notebook.path}` : undefined,
      "",
      `Dw-Run: ${runId}`,
      `Dw-Tool: train_model`,
    ]
      .filter((l) => l !== undefined)
      .join("\n");
    const commit = await ctx.workspace.withLock(async () => {
      // Read under the lock, so the run and its attachment are one serialized step.
      const experiment = input.experiment !== undefined ? await readExperiment(ctx.workspace, input.experiment) : undefined;
      const oid = await ctx.workspace.commit({ ref: runRef(runId), message, files, now });
      if (experiment) await attachRunToExperiment(ctx.workspace, experiment, runId, now);
      return oid;
    });
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
      rows: { train: trainRows.length, test: nTest, dropped_missing: ds.rows - keep.length },
      model: describeEstimator(final.predictor.json, final.pipeline.feature_names),
      timings: { ...timings, total_s: secs(performance.now() - t0) },
      ...(input.experiment !== undefined ? { experiment: input.experiment } : {}),
      ...(budgetHit ? { stopped_early: true } : {}),
      gates: reports.map((r) => ({ gate: r.gate, status: r.status, summary: r.summary })),
      ...(gated.override ? { override: { reason: gated.override.reason, by: gated.override.by, gates: gated.override.gates } } : {}),
    };
  },
});

const secs = (ms: number) => Math.round(ms) / 1000;
const fmt = (x: number) => (Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toExponential(3) : x.toFixed(4));
const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
