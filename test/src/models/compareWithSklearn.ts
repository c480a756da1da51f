import assert from "node:assert/strict";
import { accuracy } from "../../../src/models/classificationMetrics.js";
import type { FeatureMatrix } from "../../../src/models/FeatureMatrix.js";
import { regressionMetrics } from "../../../src/models/metrics.js";
import { holdout, subset, type TabularDataset } from "./datasets.js";
import { sklearnFitMany, type FitJob } from "./sklearnReference.js";

export interface Predictor {
  predict(X: FeatureMatrix): Float64Array | Int32Array;
  toJSON(): unknown;
}

export interface Case {
  dataset: TabularDataset;
  /** Split seeds; the scores compared are the means over these holdout splits (small sets are noisy). */
  splitSeeds: number[];
  fit: (X: FeatureMatrix, y: Float64Array, seed: number) => Predictor;
  reload: (json: unknown) => Predictor;
  model: FitJob["model"];
  params: (seed: number) => Record<string, unknown>;
}

export interface Comparison {
  name: string;
  dw: number;
  sklearn: number;
}

/**
 * Fits dw and scikit-learn on the same holdout splits (25 % test) and returns the mean accuracy
 * (classification) or R² (regression) of each. Also checks that each dw model, written to JSON
 * and read back, predicts exactly the same.
 */
export async function compareWithSklearn(cases: Case[]): Promise<Comparison[]> {
  const jobs: FitJob[] = [];
  const dwScores: number[][] = [];
  for (const c of cases) {
    const scores: number[] = [];
    for (const seed of c.splitSeeds) {
      const isTest = holdout(c.dataset.X.rows, 0.25, seed);
      const train = subset(c.dataset, isTest, 0);
      const test = subset(c.dataset, isTest, 1);
      const model = c.fit(train.X, train.y, seed);
      const pred = model.predict(test.X);
      const reloaded = c.reload(JSON.parse(JSON.stringify(model.toJSON())));
      assert.deepEqual(reloaded.predict(test.X), pred, `${c.dataset.name}: the reloaded model predicts differently`);
      scores.push(score(c.dataset, test.y, pred));
      jobs.push({ dataset: c.dataset, isTest, model: c.model, params: c.params(seed) });
    }
    dwScores.push(scores);
  }
  const ref = await sklearnFitMany(jobs);
  let k = 0;
  return cases.map((c, i) => {
    const sk = c.splitSeeds.map(() => ref[k++].score);
    return { name: `${c.model} on ${c.dataset.name}`, dw: mean(dwScores[i]), sklearn: mean(sk) };
  });
}

/** dw must not be worse than scikit-learn by more than `tol` (being better is fine). */
export function assertNotWorse(results: Comparison[], tol = 0.01): void {
  const lines = results.map((r) => `${r.name}: dw ${r.dw.toFixed(4)} vs scikit-learn ${r.sklearn.toFixed(4)}`);
  for (const r of results) assert.ok(r.dw >= r.sklearn - tol, `${r.name} is worse than scikit-learn by more than ${tol}\n${lines.join("\n")}`);
}

function score(ds: TabularDataset, y: Float64Array, pred: Float64Array | Int32Array): number {
  if (ds.task === "classification") return accuracy(y, pred);
  return regressionMetrics(y, Float64Array.from(pred)).r2;
}

function mean(a: number[]): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}
