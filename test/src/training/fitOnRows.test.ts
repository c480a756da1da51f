import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { createRandom } from "../../../src/models/random.js";
import { fitPipeline } from "../../../src/models/preprocessing.js";
import { holdoutSplit, shuffledRows } from "../../../src/models/split.js";
import { prepareTrainingData, type TrainingData } from "../../../src/training/prepareTrainingData.js";
import { fitOnRows, matrixOf, targetOf } from "../../../src/training/fitOnRows.js";
import { fitOnThread, fitsOnThread } from "../../../src/training/fitOnThread.js";
import { stageTrainingMatrix } from "../../../src/training/stageTrainingMatrix.js";
import { isDwError } from "../../../src/errors/DwError.js";

const ROWS = 16_000;
const FEATURES = 20;

/** A numeric CSV large enough that its fit goes to a worker; column x3 has blanks (imputed by its median). */
function csv(): string {
  const rand = createRandom(21);
  const header = [...Array.from({ length: FEATURES }, (_, j) => `x${j}`), "y", "label"].join(",");
  const lines = [header];
  for (let i = 0; i < ROWS; i++) {
    const x = Array.from({ length: FEATURES }, () => Math.round((rand() - 0.5) * 2000) / 100);
    const y = x[0] - 2 * x[1] + 0.5 * x[2] + rand();
    lines.push([...x.map((v, j) => (j === 3 && i % 5 === 0 ? "" : String(v))), y.toFixed(4), y > 0 ? "up" : "down"].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** A workspace with the wide CSV loaded as "wide", removed after the test, and the feature names. */
async function wideWorkspace(t: TestContext, prefix: string): Promise<{ ctx: ToolContext; features: string[] }> {
  const tw = await makeTempWorkspace(prefix);
  t.after(() => tw.cleanup());
  await writeFile(join(tw.dir, "data", "wide.csv"), csv());
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/wide.csv", dataset_id: "wide" }, ctx));
  return { ctx, features: Array.from({ length: FEATURES }, (_, j) => `x${j}`) };
}

/** wideWorkspace's dataset prepared for a linear regression of y on every feature. */
async function wideLinearData(t: TestContext, prefix: string): Promise<TrainingData> {
  const { ctx, features } = await wideWorkspace(t, prefix);
  return prepareTrainingData(ctx.workspace, { datasetId: "wide", target: "y", features, algorithm: "linear_regression", featuresOption: "--features" });
}

/** Moves the features into shared memory, as the parallel CSV reader and the column cache leave them: only those are staged. */
function inSharedMemory(data: TrainingData): void {
  for (const c of data.features) {
    assert.ok(c.type === "number");
    const shared = new Float64Array(new SharedArrayBuffer(c.values.byteLength));
    shared.set(c.values);
    c.values = shared;
  }
}

test("fitOnRows on a worker, its medians computed while the worker fits, gives the pipeline and the model a plain fit on this thread gives, to the byte", async (t) => {
  const { ctx, features } = await wideWorkspace(t, "dw-fit-on-rows-");
  for (const [estimator, target] of [
    ["linear_regression", "y"],
    ["logistic_regression", "label"],
  ] as const) {
    const data = await prepareTrainingData(ctx.workspace, { datasetId: "wide", target, features, algorithm: estimator, featuresOption: "--features" });
    const rows = shuffledRows(data.keep, 42).subarray(0, Math.floor(ROWS * 0.8));
    assert.equal(fitsOnThread(estimator, rows.length, FEATURES), false, "the fit must go to a worker for this test to say anything");
    const fitted = await fitOnRows({ data, estimator, hyperparameters: {}, seed: 42 }, rows);
    const pipeline = fitPipeline(data.features, rows, { scale: estimator === "logistic_regression" });
    assert.equal(JSON.stringify(fitted.pipeline), JSON.stringify(pipeline), estimator);
    const plain = fitOnThread(estimator, data.task, matrixOf(data, pipeline, rows), targetOf(data, rows), data.nClasses, {}, 42);
    assert.equal(JSON.stringify(fitted.predictor.json), JSON.stringify(plain.predictor.json), estimator);
    assert.equal(fitted.budgetHit, false);
  }
});

test("fitOnRows with mediansLater leaves the medians of the columns with no missing value to the caller, and the model does not depend on them", async (t) => {
  const data = await wideLinearData(t, "dw-fit-medians-later-");
  const rows = shuffledRows(data.keep, 42).subarray(0, Math.floor(ROWS * 0.8));
  const fitted = await fitOnRows({ data, estimator: "linear_regression", hyperparameters: {}, seed: 42, mediansLater: true }, rows);
  // x3 has blanks: the matrix needs its median, so it is found before the fit; the others are left.
  assert.deepEqual(
    fitted.deferred.map((d) => d.column),
    data.features.map((c) => c.name).filter((f) => f !== "x3"),
  );
  const plain = fitPipeline(data.features, rows, { scale: false });
  for (const [k, step] of fitted.pipeline.steps.entries()) {
    assert.ok(step.kind === "numeric" && plain.steps[k].kind === "numeric");
    assert.ok(k === 3 ? Object.is(step.impute, plain.steps[k].impute) : Number.isNaN(step.impute), step.column);
  }
  // The model does not depend on them: it is the plain fit's; filled, the pipeline is fitPipeline's.
  const model = fitOnThread("linear_regression", data.task, matrixOf(data, plain, rows), targetOf(data, rows), 0, {}, 42);
  assert.equal(JSON.stringify(fitted.predictor.json), JSON.stringify(model.predictor.json));
  for (const d of fitted.deferred) d.fill();
  assert.equal(JSON.stringify(fitted.pipeline), JSON.stringify(plain));
  const given = await fitOnRows({ data, estimator: "linear_regression", hyperparameters: {}, seed: 42, mediansLater: true }, rows);
  for (const d of given.deferred) d.fill(-1);
  assert.equal((given.pipeline.steps[0] as { impute: number }).impute, -1, "a median the caller has is taken as given");
  const filled = await fitOnRows({ data, estimator: "linear_regression", hyperparameters: {}, seed: 42 }, rows);
  assert.deepEqual(filled.deferred, []);
});

test("a matrix staged on the fit worker (stageTrainingMatrix) gives the model and pipeline fitOnRows builds itself, to the byte; other rows fall back to its own", async (t) => {
  const { ctx, features } = await wideWorkspace(t, "dw-fit-staged-");
  for (const [estimator, target] of [
    ["linear_regression", "y"],
    ["logistic_regression", "label"],
  ] as const) {
    const data = await prepareTrainingData(ctx.workspace, { datasetId: "wide", target, features, algorithm: estimator, featuresOption: "--features" });
    const split = { seed: 42, testSize: 0.2 };
    const rows = holdoutSplit(shuffledRows(data.keep, split.seed), split.testSize).train;
    const own = await fitOnRows({ data, estimator, hyperparameters: {}, seed: 42 }, rows);
    inSharedMemory(data);
    const staged = stageTrainingMatrix(data, estimator, split);
    assert.ok(staged, "the matrix must be staged for this test to say anything");
    try {
      assert.deepEqual(await staged.rows, rows, "the worker foresees the fit's rows");
      // It fitted the numeric steps on them as this thread would: the imputed column's median, and for
      // the logistic regression each column's standardisation (the other medians are left for later).
      const steps = await staged.steps;
      assert.ok(steps);
      for (const [k, step] of own.pipeline.steps.entries()) {
        assert.ok(step.kind === "numeric");
        assert.ok(k === 3 ? Object.is(steps[k].impute, step.impute) : Number.isNaN(steps[k].impute), `${estimator} ${step.column}: impute`);
        assert.equal(JSON.stringify(steps[k].scale), JSON.stringify(step.scale), `${estimator} ${step.column}: scale`);
      }
      const fitted = await fitOnRows({ data, estimator, hyperparameters: {}, seed: 42, staged }, rows);
      assert.ok(staged.used, "the fit took the staged matrix");
      assert.equal(JSON.stringify(fitted.pipeline), JSON.stringify(own.pipeline), estimator);
      assert.equal(JSON.stringify(fitted.predictor.json), JSON.stringify(own.predictor.json), estimator);
      // The staged matrix is used once: a second fit on the same rows builds its own, the same again.
      const again = await fitOnRows({ data, estimator, hyperparameters: {}, seed: 42, staged }, rows);
      assert.equal(JSON.stringify(again.predictor.json), JSON.stringify(own.predictor.json), estimator);
    } finally {
      staged.release();
    }
    // A fit on other rows than staged (another seed) builds its own matrix.
    const other = stageTrainingMatrix(data, estimator, { seed: 7, testSize: 0.2 });
    assert.ok(other);
    try {
      const fitted = await fitOnRows({ data, estimator, hyperparameters: {}, seed: 42, staged: other }, rows);
      assert.equal(other.used, false, "rows other than staged: not taken");
      assert.equal(JSON.stringify(fitted.predictor.json), JSON.stringify(own.predictor.json), estimator);
    } finally {
      other.release();
    }
  }
});

test("a linear regression staged in blocks (no matrix: fitLinearInBlocks from the shared columns) gives fitOnRows' own model and pipeline, to the byte", async (t) => {
  const data = await wideLinearData(t, "dw-fit-staged-blocks-");
  const split = { seed: 42, testSize: 0.2 };
  const rows = holdoutSplit(shuffledRows(data.keep, split.seed), split.testSize).train;
  const own = await fitOnRows({ data, estimator: "linear_regression", hyperparameters: { l2: 0.5 }, seed: 42 }, rows);
  inSharedMemory(data);
  // Any matrix is "too large" here, so the worker stages the steps and the means, not the matrix.
  const staged = stageTrainingMatrix(data, "linear_regression", split, { blocksPastBytes: 0 });
  assert.ok(staged, "the fit must be staged for this test to say anything");
  try {
    assert.deepEqual(await staged.rows, rows);
    const fitted = await fitOnRows({ data, estimator: "linear_regression", hyperparameters: { l2: 0.5 }, seed: 42, staged }, rows);
    assert.ok(staged.used, "the fit took the staged blocks");
    assert.equal(JSON.stringify(fitted.pipeline), JSON.stringify(own.pipeline));
    assert.equal(JSON.stringify(fitted.predictor.json), JSON.stringify(own.predictor.json));
  } finally {
    staged.release();
  }
});

test("a column with no value in the training rows stages nothing, and the fit refuses it as it always did", async (t) => {
  const { ctx, features } = await wideWorkspace(t, "dw-fit-staged-empty-");
  const data = await prepareTrainingData(ctx.workspace, {
    datasetId: "wide",
    target: "label",
    features,
    algorithm: "logistic_regression",
    featuresOption: "--features",
  });
  inSharedMemory(data);
  const split = { seed: 42, testSize: 0.2 };
  const rows = holdoutSplit(shuffledRows(data.keep, split.seed), split.testSize).train;
  const column = data.features[5];
  assert.ok(column.type === "number");
  // Missing everywhere but in the held-out rows.
  const empty = new Float64Array(new SharedArrayBuffer(column.values.byteLength)).fill(NaN);
  const test = holdoutSplit(shuffledRows(data.keep, split.seed), split.testSize).test;
  for (const r of test) empty[r] = 1;
  column.values = empty;
  column.nulls = empty.length - test.length;
  const staged = stageTrainingMatrix(data, "logistic_regression", split);
  assert.ok(staged);
  try {
    assert.equal(await staged.rows, undefined);
    await assert.rejects(
      fitOnRows({ data, estimator: "logistic_regression", hyperparameters: {}, seed: 42, staged }, rows),
      (e) => isDwError(e) && e.code === "DATA_ERROR" && /'x5' has no values in the training rows/.test(e.message),
    );
    assert.equal(staged.used, false);
  } finally {
    staged.release();
  }
});

test("trainings that stage their matrix one after another reuse the fit worker without piling listeners on it", async (t) => {
  const data = await wideLinearData(t, "dw-fit-staged-again-");
  inSharedMemory(data);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  t.after(() => process.off("warning", onWarning));
  const split = { seed: 42, testSize: 0.2 };
  const rows = holdoutSplit(shuffledRows(data.keep, split.seed), split.testSize).train;
  let first: string | undefined;
  // More than EventEmitter's default of 10 listeners: each staging used to leave two behind.
  for (let i = 0; i < 12; i++) {
    const staged = stageTrainingMatrix(data, "linear_regression", split);
    assert.ok(staged);
    try {
      const fitted = await fitOnRows({ data, estimator: "linear_regression", hyperparameters: {}, seed: 42, staged }, rows);
      assert.ok(staged.used, `training ${i + 1} took its staged matrix`);
      first ??= JSON.stringify(fitted.predictor.json);
      assert.equal(JSON.stringify(fitted.predictor.json), first);
    } finally {
      staged.release();
    }
  }
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(warnings, []);
});
