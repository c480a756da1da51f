import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { createRandom } from "../../../src/models/random.js";
import { fitPipeline } from "../../../src/models/preprocessing.js";
import { shuffledRows } from "../../../src/models/split.js";
import { prepareTrainingData } from "../../../src/training/prepareTrainingData.js";
import { fitOnRows, matrixOf, targetOf } from "../../../src/training/fitOnRows.js";
import { fitOnThread, fitsOnThread } from "../../../src/training/fitOnThread.js";

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

test("fitOnRows on a worker, its medians computed while the worker fits, gives the pipeline and the model a plain fit on this thread gives, to the byte", async (t) => {
  const tw = await makeTempWorkspace("dw-fit-on-rows-");
  t.after(() => tw.cleanup());
  await writeFile(join(tw.dir, "data", "wide.csv"), csv());
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/wide.csv", dataset_id: "wide" }, ctx));
  const features = Array.from({ length: FEATURES }, (_, j) => `x${j}`);
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
