import assert from "node:assert/strict";
import { test } from "node:test";
import { accuracy, confusionMatrix, logLoss, precisionRecallF1, rocAucOvr, type Average } from "../../../src/models/classificationMetrics.js";
import { meanAbsolutePercentageError } from "../../../src/models/meanAbsolutePercentageError.js";
import { regressionMetrics } from "../../../src/models/metrics.js";
import { createRandom } from "../../../src/models/random.js";
import { sklearnMetrics } from "./sklearnReference.js";

function close(actual: number, expected: number, what: string, tol = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: dw ${actual} vs scikit-learn ${expected}`);
}

/** Labels, noisy predictions and probabilities (rounded to create ties in the scores). */
function fakeClassification(n: number, K: number, seed: number) {
  const rand = createRandom(seed);
  const yTrue = new Int32Array(n);
  const yPred = new Int32Array(n);
  const proba = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    yTrue[i] = Math.floor(rand() * K);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const v = Math.round((rand() + (k === yTrue[i] ? 0.6 : 0)) * 20) / 20 + 0.01;
      proba[i * K + k] = v;
      sum += v;
    }
    let best = 0;
    for (let k = 0; k < K; k++) {
      proba[i * K + k] /= sum;
      if (proba[i * K + k] > proba[i * K + best]) best = k;
    }
    yPred[i] = best;
  }
  return { yTrue, yPred, proba };
}

function rows(proba: Float64Array, K: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < proba.length / K; i++) out.push(Array.from(proba.subarray(i * K, i * K + K)));
  return out;
}

for (const K of [2, 4]) {
  test(`classification metrics equal scikit-learn's to 1e-9 (${K} classes)`, async () => {
    const { yTrue, yPred, proba } = fakeClassification(997, K, 7 + K);
    const ref = await sklearnMetrics({
      task: "classification",
      y_true: Array.from(yTrue),
      y_pred: Array.from(yPred),
      proba: rows(proba, K),
      n_classes: K,
    });
    close(accuracy(yTrue, yPred), ref.accuracy as number, "accuracy");
    assert.deepEqual(confusionMatrix(yTrue, yPred, K), ref.confusion_matrix);
    const averages: Average[] = K === 2 ? ["binary", "macro", "weighted", "micro"] : ["macro", "weighted", "micro"];
    for (const average of averages) {
      const s = precisionRecallF1(yTrue, yPred, { average, nClasses: K });
      close(s.precision, ref[`precision_${average}`] as number, `precision ${average}`);
      close(s.recall, ref[`recall_${average}`] as number, `recall ${average}`);
      close(s.f1, ref[`f1_${average}`] as number, `f1 ${average}`);
    }
    close(logLoss(yTrue, proba, K), ref.log_loss as number, "log loss");
    close(rocAucOvr(yTrue, proba, K), ref.roc_auc as number, "roc auc");
  });
}

test("a class never predicted gives precision 0, as scikit-learn's zero_division=0", async () => {
  const yTrue = new Int32Array([0, 1, 2, 2, 1, 0]);
  const yPred = new Int32Array([0, 0, 2, 2, 0, 0]);
  const ref = await sklearnMetrics({ task: "classification", y_true: Array.from(yTrue), y_pred: Array.from(yPred), n_classes: 3 });
  for (const average of ["macro", "weighted"] as const) {
    const s = precisionRecallF1(yTrue, yPred, { average });
    close(s.precision, ref[`precision_${average}`] as number, `precision ${average}`);
    close(s.f1, ref[`f1_${average}`] as number, `f1 ${average}`);
  }
});

test("regression metrics (R², RMSE, MAE, MAPE) equal scikit-learn's to 1e-9", async () => {
  const rand = createRandom(3);
  const n = 500;
  const yTrue = new Float64Array(n);
  const yPred = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yTrue[i] = 10 + 5 * rand();
    yPred[i] = yTrue[i] + rand() - 0.5;
  }
  yTrue[3] = 0; // MAPE's eps guard
  const ref = await sklearnMetrics({ task: "regression", y_true: Array.from(yTrue), y_pred: Array.from(yPred) });
  const m = regressionMetrics(yTrue, yPred);
  close(m.r2, ref.r2 as number, "r2");
  close(m.rmse, ref.rmse as number, "rmse");
  close(m.mae, ref.mae as number, "mae");
  const mape = meanAbsolutePercentageError(yTrue, yPred);
  close(mape, ref.mape as number, "mape", 1e-9 * Math.abs(ref.mape as number));
});
