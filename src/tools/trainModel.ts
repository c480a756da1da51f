import { readFile } from "node:fs/promises";
import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { readDatasetRecord } from "../data/datasetRecords.js";
import { cachePath } from "../data/dataCache.js";
import { parseCsv } from "../data/parseCsv.js";
import { getColumn, type Dataset, type NumberColumn } from "../data/Dataset.js";
import { fitLinear, predictLinear } from "../models/linearRegression.js";
import { regressionMetrics } from "../models/metrics.js";
import { shuffledIndices } from "../models/random.js";
import { featureStats } from "../models/featureStats.js";
import type { ModelJson } from "../models/ModelJson.js";
import { newRunId, runRef } from "../runs/runId.js";
import type { RunRecord } from "../runs/RunRecord.js";

export const ALGORITHMS = ["linear_regression"] as const;

const LinearHyperparameters = z
  .object({
    l2: z.number().min(0).default(0).describe("L2 (ridge) penalty on the coefficients; 0 is ordinary least squares."),
  })
  .strict();

export const TrainModelInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset to train on, as load_dataset registered it."),
  target: z.string().min(1).describe("The column to predict."),
  features: z.array(z.string().min(1)).min(1).optional().describe("Columns to predict from; defaults to every numeric column but the target."),
  algorithm: z.enum(ALGORITHMS).default("linear_regression").describe("Learning algorithm."),
  hyperparameters: z.record(z.string(), z.unknown()).default({}).describe("Algorithm settings; linear_regression takes l2."),
  test_size: z.number().gt(0).lt(1).default(0.2).describe("Share of rows held out to evaluate the model."),
  seed: z.number().int().min(0).default(42).describe("Seed for the train/test split: the same seed gives the same run."),
});
export type TrainModelInput = z.infer<typeof TrainModelInput>;

export const TrainModelOutput = z.object({
  run_id: z.string().describe("The run's id; its commit is refs/dw/runs/<run_id>."),
  model_id: z.string().describe("Id of the trained model, to pass to register_model (the same as run_id)."),
  commit: z.string(),
  dataset_id: z.string(),
  algorithm: z.string(),
  task: z.literal("regression"),
  target: z.string(),
  features: z.array(z.string()),
  hyperparameters: z.record(z.string(), z.unknown()),
  metrics: z.object({ r2: z.number(), rmse: z.number(), mae: z.number() }).describe("On the held-out rows."),
  rows: z.object({ train: z.number().int(), test: z.number().int(), dropped_missing: z.number().int() }),
  model: z.object({ intercept: z.number(), coefficients: z.record(z.string(), z.number()) }),
  timings: z.object({ load_s: z.number(), fit_s: z.number(), evaluate_s: z.number(), total_s: z.number() }),
});
export type TrainModelOutput = z.infer<typeof TrainModelOutput>;

/**
 * Trains a model on a dataset with a seeded holdout split, evaluates it on the held-out rows, and
 * snapshots the run as a git commit (parameters, metrics, data manifest, model, and the notebook
 * and cell it came from) under refs/dw/runs/<run_id>.
 *
 * @example
 * ```ts
 * const run = await dw.trainModel({ dataset_id: "seattle-weather", target: "temp_max",
 *   features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" });
 * run.metrics.r2;
 * ```
 */
export const trainModel = defineTool({
  name: "train_model",
  description: "Train a model on a dataset, evaluate it on a holdout, and snapshot the run (parameters, metrics, data manifest, model, notebook) as a git commit.",
  input: TrainModelInput,
  output: TrainModelOutput,
  magic: { aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const t0 = performance.now();
    const hp = LinearHyperparameters.safeParse(input.hyperparameters);
    if (!hp.success) {
      throw new DwError("INVALID_INPUT", `Bad hyperparameters for ${input.algorithm}: ${hp.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}.`, {
        hint: `${input.algorithm} takes: ${Object.keys(LinearHyperparameters.shape).join(", ")}.`,
        details: { field: "hyperparameters" },
      });
    }
    const record = await readDatasetRecord(ctx.workspace, input.dataset_id);
    const ds = parseCsv(await readFile(cachePath(ctx.workspace, record.sha256), "utf8"), record.source);

    const target = numericColumn(ds, input.target, "target", record.source);
    const featureNames = input.features ?? ds.columns.filter((c) => c.type === "number" && c.name !== input.target).map((c) => c.name);
    if (featureNames.length === 0) {
      throw new DwError("INVALID_INPUT", `Dataset '${input.dataset_id}' has no numeric column besides the target '${input.target}'.`, {
        hint: "Pass --features with numeric columns.",
        details: { field: "features" },
      });
    }
    if (featureNames.includes(input.target)) {
      throw new DwError("INVALID_INPUT", `The target '${input.target}' is also listed as a feature.`, { hint: "Remove it from --features.", details: { field: "features" } });
    }
    const features = featureNames.map((f) => numericColumn(ds, f, "features", record.source));

    // Rows with a missing target or feature cannot be used by least squares.
    const keep: number[] = [];
    for (let i = 0; i < ds.rows; i++) {
      if (!Number.isNaN(target.values[i]) && features.every((c) => !Number.isNaN(c.values[i]))) keep.push(i);
    }
    const p = features.length;
    if (keep.length < p + 2) {
      throw new DwError("DATA_ERROR", `Only ${keep.length} complete rows: too few to fit ${p} features and evaluate.`, { hint: "Use more data or fewer features." });
    }
    const order = shuffledIndices(keep.length, input.seed);
    const nTest = Math.max(1, Math.round(keep.length * input.test_size));
    const nTrain = keep.length - nTest;
    const take = (from: number, count: number) => {
      const X = new Float64Array(count * p);
      const y = new Float64Array(count);
      for (let r = 0; r < count; r++) {
        const i = keep[order[from + r]];
        y[r] = target.values[i];
        for (let j = 0; j < p; j++) X[r * p + j] = features[j].values[i];
      }
      return { X, y };
    };
    const train = take(0, nTrain);
    const test = take(nTrain, nTest);
    const tLoad = performance.now();

    const fit = fitLinear(train.X, train.y, nTrain, p, hp.data.l2);
    const tFit = performance.now();
    const metrics = regressionMetrics(test.y, predictLinear(fit, test.X, nTest, p));
    const tEval = performance.now();

    const now = ctx.now();
    const runId = newRunId(now);
    const model: ModelJson = {
      format: "dw.model/1",
      algorithm: "linear_regression",
      task: "regression",
      target: input.target,
      hyperparameters: hp.data,
      signature: { inputs: featureNames.map((name) => ({ name, type: "double" as const })), outputs: [{ name: input.target, type: "double" as const }] },
      preprocessing: { steps: [] },
      params: fit,
      training_data: { dataset_id: record.dataset_id, sha256: record.sha256, rows: nTrain },
      reference_stats: Object.fromEntries(featureNames.map((name, j) => [name, featureStats(columnOf(train.X, nTrain, p, j))])),
      created_at: now.toISOString(),
      run_id: runId,
    };
    const timings = { load_s: secs(tLoad - t0), fit_s: secs(tFit - tLoad), evaluate_s: secs(tEval - tFit), total_s: secs(tEval - t0) };
    const run: RunRecord = {
      run_id: runId,
      tool: "train_model",
      created_at: now.toISOString(),
      algorithm: input.algorithm,
      task: "regression",
      target: input.target,
      features: featureNames,
      parameters: { dataset_id: input.dataset_id, target: input.target, features: featureNames, algorithm: input.algorithm, hyperparameters: hp.data, test_size: input.test_size, seed: input.seed },
      metrics,
      timings,
      data: { dataset_id: record.dataset_id, source: record.source, sha256: record.sha256, size_bytes: record.size_bytes, rows: record.rows, rows_used: keep.length, columns: record.columns },
      origin: { via: ctx.origin?.via ?? "api", notebook_path: ctx.origin?.notebook?.path, has_cell: ctx.origin?.cell !== undefined },
    };
    const files: Record<string, string> = {
      "run.json": json(run),
      "params.json": json(run.parameters),
      "metrics.json": json(metrics),
      "data/manifest.json": json({ ...run.data, schema: record.columns }),
      "model.json": json(model),
    };
    if (ctx.origin?.cell !== undefined) files["cell.ts"] = ctx.origin.cell;
    if (ctx.origin?.notebook) files["notebook.ipynb"] = ctx.origin.notebook.content;
    const message = [
      `dw run ${runId}: ${input.algorithm} ${input.target} ~ ${featureNames.join(" + ")}`,
      "",
      `metrics (holdout ${nTest} rows): r2=${fmt(metrics.r2)} rmse=${fmt(metrics.rmse)} mae=${fmt(metrics.mae)}`,
      `data: ${record.source} (${record.dataset_id}) sha256:${record.sha256.slice(0, 12)} ${record.rows} rows, ${keep.length} used`,
      `params: seed=${input.seed} test_size=${input.test_size} hyperparameters=${JSON.stringify(hp.data)}`,
      ctx.origin?.notebook ? `notebook: ${ctx.origin.notebook.path}` : undefined,
      "",
      `Dw-Run: ${runId}`,
      `Dw-Tool: train_model`,
    ]
      .filter((l) => l !== undefined)
      .join("\n");
    const commit = await ctx.workspace.withLock(() => ctx.workspace.commit({ ref: runRef(runId), message, files, now }));
    return {
      run_id: runId,
      model_id: runId,
      commit,
      dataset_id: record.dataset_id,
      algorithm: input.algorithm,
      task: "regression" as const,
      target: input.target,
      features: featureNames,
      hyperparameters: hp.data,
      metrics,
      rows: { train: nTrain, test: nTest, dropped_missing: ds.rows - keep.length },
      model: { intercept: fit.intercept, coefficients: Object.fromEntries(featureNames.map((f, j) => [f, fit.coefficients[j]])) },
      timings: { ...timings, total_s: secs(performance.now() - t0) },
    };
  },
});

function numericColumn(ds: Dataset, name: string, field: string, source: string): NumberColumn {
  const col = getColumn(ds, name);
  if (!col) {
    throw new DwError("INVALID_INPUT", `Column '${name}' (${field}) is not in the dataset.`, {
      hint: `Columns: ${ds.columns.map((c) => c.name).join(", ")}.`,
      details: { field, column: name },
    });
  }
  if (col.type !== "number") {
    const where = col.type === "string" && col.firstNonNumeric ? ` (${source}, line ${col.firstNonNumeric.line}: '${col.firstNonNumeric.value}')` : "";
    throw new DwError("DATA_ERROR", `Column '${name}' (${field}) holds ${col.type} values, not numbers${where}; linear_regression needs numeric columns.`, {
      hint: field === "target" ? "Choose a numeric target." : "Drop it from --features, or fix the values that are not numbers.",
      details: { field, column: name, type: col.type, line: col.type === "string" ? col.firstNonNumeric?.line : undefined },
    });
  }
  return col;
}

/** Column j of a row-major n×p matrix: the training rows' values of one feature. */
function columnOf(X: Float64Array, n: number, p: number, j: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = X[i * p + j];
  return out;
}

const secs = (ms: number) => Math.round(ms) / 1000;
const fmt = (x: number) => (Math.abs(x) >= 1000 || Math.abs(x) < 0.001 ? x.toExponential(3) : x.toFixed(4));
const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
