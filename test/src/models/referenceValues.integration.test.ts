import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { columnarInput, loadModel, scoreModel } from "../../../src/models/scoreModel.js";
import { transform } from "../../../src/models/preprocessing.js";
import { shuffledIndices } from "../../../src/models/random.js";
import { sklearnFit, sklearnMetrics } from "./sklearnReference.js";
import type { TabularDataset } from "./datasets.js";

/**
 * The numbers train_model, evaluate_model and select_model report, against values computed
 * without dw's metric or fitting code: scikit-learn on the same rows, counts made here, or data
 * whose answer is known by construction. (The tools' own tests compare them with each other.)
 *
 * The held-out rows are drawn here as train_model documents it (src/runs/readEvaluationRows.ts):
 * the rows that have a target, shuffled with the run's seed, the last round(test_size · n) of them.
 */

const tw = await makeTempWorkspace("dw-reference-");
after(() => tw.cleanup());
const ctx: ToolContext = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));

/** seattle-weather.csv read by hand: plain fields, no quotes, nothing missing. */
const WEATHER = readFileSync(join(repoRoot, "node_modules", "vega-datasets", "data", "seattle-weather.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [date, precipitation, temp_max, temp_min, wind, weather] = line.split(",");
    return { date, precipitation: Number(precipitation), temp_max: Number(temp_max), temp_min: Number(temp_min), wind: Number(wind), weather };
  });
type Column = keyof (typeof WEATHER)[number];

const show = (runId: string, file: string) =>
  execFileSync("git", ["show", `refs/dw/runs/${runId}:${file}`], { cwd: tw.dir, encoding: "utf8", maxBuffer: 1 << 30 });

/** The run's held-out rows (row numbers of the CSV, in increasing order) and a 0/1 mark per row. */
function heldOut(runId: string): { rows: number[]; isTest: Uint8Array } {
  const params = JSON.parse(show(runId, "params.json")) as { seed: number; test_size: number; cv_folds: number | null };
  assert.equal(params.cv_folds, null, "a holdout run");
  const n = WEATHER.length;
  const nTest = Math.max(1, Math.round(n * params.test_size));
  const rows = Array.from(shuffledIndices(n, params.seed).slice(n - nTest)).sort((a, b) => a - b);
  const isTest = new Uint8Array(n);
  for (const r of rows) isTest[r] = 1;
  return { rows, isTest };
}

/** Relative closeness, for numbers computed in another order of floating-point operations. */
function assertClose(actual: number, expected: number, what: string, tol = 1e-9): void {
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: dw ${actual}, reference ${expected}`);
}

test("linear and ridge regression on noisy real data: scikit-learn's coefficients and held-out metrics on the same rows", async () => {
  const features = ["precipitation", "temp_min", "wind"] as const;
  const ds: TabularDataset = {
    name: "seattle-weather temp_max",
    task: "regression",
    X: { data: Float64Array.from(WEATHER.flatMap((r) => features.map((f) => r[f]))), rows: WEATHER.length, cols: features.length },
    y: Float64Array.from(WEATHER, (r) => r.temp_max),
    nClasses: 0,
    featureNames: [...features],
  };
  const fitted: number[][] = [];
  for (const l2 of [0, 5, 5000]) {
    const run = ok(
      await runTool(
        "train_model",
        { dataset_id: "weather", target: "temp_max", features, algorithm: "linear_regression", hyperparameters: l2 ? { l2 } : {} },
        ctx,
      ),
    );
    const { rows, isTest } = heldOut(run.run_id);
    assert.equal(run.rows.test, rows.length);
    const params = JSON.parse(show(run.run_id, "model.json")).params as { intercept: number; coefficients: number[] };
    const sk = await sklearnFit(ds, isTest, l2 ? "ridge" : "linear_regression", l2 ? { alpha: l2 } : {});
    const what = l2 ? `ridge, l2 = alpha = ${l2}` : "least squares";
    sk.coef![0].forEach((c, j) => assertClose(params.coefficients[j], c, `${what}: coefficient of ${features[j]}`));
    assertClose(params.intercept, sk.intercept![0], `${what}: intercept`);
    const ref = await sklearnMetrics({ task: "regression", y_true: rows.map((r) => WEATHER[r].temp_max), y_pred: sk.pred });
    for (const m of ["r2", "rmse", "mae", "mape"]) assertClose(run.metrics[m], ref[m] as number, `${what}: ${m}`);
    fitted.push(params.coefficients);
  }
  // The penalty does something: a strong one shrinks the coefficients.
  const norm = (c: number[]) => Math.hypot(...c);
  assert.ok(norm(fitted[2]) < 0.9 * norm(fitted[0]), `l2 = 5000 leaves ${fitted[2]} against ${fitted[0]}`);
});

const CLASSIFIER_FEATURES: Column[] = ["date", "precipitation", "temp_max", "temp_min", "wind"];
const CLASSIFIERS: [string, Record<string, unknown>][] = [
  ["logistic_regression", {}],
  ["decision_tree", {}],
  ["random_forest", { n_estimators: 20 }],
  ["gradient_boosting", { max_iter: 30 }],
];

let classifierRuns: Promise<Record<string, any>[]> | undefined;
/** One weather classifier per algorithm, trained by whichever test asks first. */
function trainedClassifiers(): Promise<Record<string, any>[]> {
  classifierRuns ??= (async () => {
    const runs = [];
    for (const [algorithm, hyperparameters] of CLASSIFIERS)
      runs.push(ok(await runTool("train_model", { dataset_id: "weather", target: "weather", features: CLASSIFIER_FEATURES, algorithm, hyperparameters }, ctx)));
    return runs;
  })();
  return classifierRuns;
}

/**
 * What model.json, read back from the run's commit, makes of the held-out rows: class indices
 * (in the run's class order), the true ones, probabilities, scikit-learn's metrics of those, and
 * the confusion matrix counted here.
 */
async function heldOutReference(run: Record<string, any>) {
  const { rows } = heldOut(run.run_id);
  const model = loadModel(show(run.run_id, "model.json"), "model.json");
  const classes = run.classes as string[];
  const input = columnarInput({ columns: CLASSIFIER_FEATURES, rows: rows.map((r) => CLASSIFIER_FEATURES.map((c) => WEATHER[r][c])) });
  const predicted = scoreModel(model, input).map((label) => classes.indexOf(label as string));
  const X = transform(model.json.preprocessing, input.rows, (c) => input.value(c));
  const flat = model.predictor.predictProba!(X);
  const k = classes.length;
  const proba = rows.map((_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
  const truth = rows.map((r) => classes.indexOf(WEATHER[r].weather));
  const confusion = classes.map(() => classes.map(() => 0));
  truth.forEach((t, i) => confusion[t][predicted[i]]++);
  const metrics = await sklearnMetrics({ task: "classification", y_true: truth, y_pred: predicted, proba, n_classes: k });
  return { rows, predicted, confusion, metrics };
}

/** dw's metrics of a multiclass target are scikit-learn's macro averages. */
function assertSklearnMetrics(dw: Record<string, number>, ref: Record<string, number | number[][]>, what: string): void {
  const names: Record<string, string> = {
    accuracy: "accuracy",
    precision: "precision_macro",
    recall: "recall_macro",
    f1: "f1_macro",
    roc_auc: "roc_auc",
    log_loss: "log_loss",
  };
  assert.deepEqual(Object.keys(dw).sort(), Object.keys(names).sort(), what);
  for (const [m, sk] of Object.entries(names)) assertClose(dw[m], ref[sk] as number, `${what}: ${m}`);
}

test("model.json, read back, scores the held-out rows as the trained model did: the run's confusion matrix and scikit-learn's metrics", async () => {
  for (const run of await trainedClassifiers()) {
    const ref = await heldOutReference(run);
    assert.equal(run.rows.test, ref.rows.length, run.algorithm);
    assert.deepEqual(run.confusion_matrix, ref.confusion, `${run.algorithm}: confusion matrix`);
    assertSklearnMetrics(run.metrics, ref.metrics, run.algorithm);
    assert.deepEqual(ref.metrics.confusion_matrix, ref.confusion, "scikit-learn counts as this test does");
  }
});

test("evaluate_model's numbers on a run's held-out rows are scikit-learn's for model.json's predictions", async () => {
  for (const run of await trainedClassifiers()) {
    const ref = await heldOutReference(run);
    const e = ok(await runTool("evaluate_model", { model_id: run.run_id }, ctx));
    assert.equal(e.rows, ref.rows.length, run.algorithm);
    assert.deepEqual(e.confusion_matrix, ref.confusion, `${run.algorithm}: confusion matrix`);
    assertSklearnMetrics(e.metrics, ref.metrics, `evaluate_model ${run.algorithm}`);
  }
});

/**
 * The probe's scores on data whose answer is known: on a noiseless line a linear model's R² is 1
 * on every fold; on a staircase of three steps a depth-4 or depth-8 tree's is 1 on every fold (two
 * splits make every leaf pure). Whatever the folds, then, the probe must report exactly those.
 */
test("select_model's non-linearity probe on data whose scores are known: a line for the linear model, a staircase for the trees", async () => {
  const lines = ["x,z,line,step"];
  for (let i = 0; i < 600; i++) {
    const x = [-3, -2, -1, 1, 2, 3][i % 6] + (i % 5) * 0.01;
    const z = (i * 7) % 11;
    lines.push(`${x},${z},${2 * x - 0.5 * z + 1},${x < -1.5 ? 0 : x < 1.5 ? 2 : 5}`);
  }
  await writeFile(join(tw.dir, "data", "known.csv"), lines.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/known.csv", dataset_id: "known" }, ctx));

  const line = ok(await runTool("select_model", { dataset_id: "known", target: "line", features: ["x", "z"], folds: 3, seed: 3 }, ctx)).characteristics
    .nonlinearity;
  assert.equal(line.metric, "r2");
  assertClose(line.linear, 1, "a linear model's R² on a noiseless line", 1e-12);
  assert.ok(line.shallow_tree < 1, `a depth-4 tree's R² on a line of 600 points: ${line.shallow_tree}`);
  assert.equal(line.nonlinear, false);

  const step = ok(await runTool("select_model", { dataset_id: "known", target: "step", features: ["x"], task: "regression", folds: 3, seed: 3 }, ctx))
    .characteristics.nonlinearity;
  assert.equal(step.metric, "r2");
  assertClose(step.shallow_tree, 1, "a depth-4 tree's R² on a staircase", 1e-12);
  assertClose(step.deep_tree, 1, "a depth-8 tree's R² on a staircase", 1e-12);
  assert.ok(step.linear < 0.95, `a line's R² on a staircase: ${step.linear}`);
  assertClose(step.gain, 1 - step.linear, "the gain over the line", 1e-12);
  assert.equal(step.nonlinear, true);
});
