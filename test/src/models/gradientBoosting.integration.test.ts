import assert from "node:assert/strict";
import { test } from "node:test";
import { GradientBoosting, type GradientBoostingJson } from "../../../src/models/GradientBoosting.js";
import { assertNotWorse, compareWithSklearn, type Case } from "./compareWithSklearn.js";
import { carsMpg, penguins, seattleTempMax, seattleWeather, synthetic, type TabularDataset } from "./datasets.js";

const reload = (json: unknown) => GradientBoosting.fromJSON(json as GradientBoostingJson);
const seeds = [1, 2, 3, 4, 5];

function boostCase(dataset: TabularDataset, splitSeeds: number[], maxIter: number): Case {
  return {
    dataset,
    splitSeeds,
    fit: (X, y, seed) => GradientBoosting.fit(X, y, { task: dataset.task, maxIter, seed }),
    reload,
    model: "gradient_boosting",
    params: (seed) => ({ max_iter: maxIter, random_state: seed }),
  };
}

test("gradient boosting is as accurate as scikit-learn's HistGradientBoosting (regression, binary, multiclass)", async () => {
  assertNotWorse(
    await compareWithSklearn([
      boostCase(penguins(), seeds, 100),
      boostCase(seattleWeather(), seeds, 100),
      boostCase(carsMpg(), seeds, 100),
      boostCase(seattleTempMax(), seeds, 100),
      // More than 10,000 rows: early stopping on a validation split is on, as in scikit-learn.
      boostCase(synthetic(40_000, 10, "classification", 21), [1], 100),
      boostCase(synthetic(30_000, 10, "classification", 22, 3), [1], 50),
      boostCase(synthetic(40_000, 10, "regression", 23), [1], 100),
    ]),
  );
});

test("early stopping stops when the validation loss stops improving, and is deterministic", () => {
  const ds = synthetic(20_000, 6, "classification", 5);
  const a = GradientBoosting.fit(ds.X, ds.y, { task: "classification", maxIter: 500, learningRate: 0.5, seed: 3 }).toJSON();
  assert.ok(a.nIter < 500, `stopped after ${a.nIter} iterations`);
  assert.equal(a.validationLoss.length, a.nIter + 1);
  const b = GradientBoosting.fit(ds.X, ds.y, { task: "classification", maxIter: 500, learningRate: 0.5, seed: 3 }).toJSON();
  assert.deepEqual(a, b);
});

test("leaf-wise trees respect maxLeafNodes and minSamplesLeaf", () => {
  const ds = synthetic(5000, 5, "regression", 8);
  const m = GradientBoosting.fit(ds.X, ds.y, { task: "regression", maxIter: 5, maxLeafNodes: 7, minSamplesLeaf: 40 }).toJSON();
  for (const t of m.trees) {
    const leaves = t.feature.filter((f) => f < 0).length;
    assert.ok(leaves <= 7, `${leaves} leaves`);
    t.feature.forEach((f, i) => f < 0 && assert.ok(t.count[i] >= 40));
  }
});
