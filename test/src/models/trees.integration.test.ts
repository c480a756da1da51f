import { test } from "node:test";
import { fitDecisionTree } from "../../../src/models/fitDecisionTree.js";
import { fitRandomForest } from "../../../src/models/fitRandomForest.js";
import { TreeEnsemble, type TreeEnsembleJson } from "../../../src/models/TreeEnsemble.js";
import { assertNotWorse, compareWithSklearn, type Case } from "./compareWithSklearn.js";
import { carsMpg, penguins, seattleTempMax, seattleWeather, synthetic, type TabularDataset } from "./datasets.js";

const reload = (json: unknown) => TreeEnsemble.fromJSON(json as TreeEnsembleJson);
// Single trees on a few hundred rows vary by several points between splits: average over many.
const treeSeeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const forestSeeds = [1, 2, 3, 4, 5];

function treeCase(dataset: TabularDataset, splitSeeds: number[], maxDepth: number | null): Case {
  return {
    dataset,
    splitSeeds,
    fit: (X, y, seed) => fitDecisionTree(X, y, { task: dataset.task, maxDepth, seed }),
    reload,
    model: "decision_tree",
    params: (seed) => ({ max_depth: maxDepth, random_state: seed }),
  };
}

function forestCase(dataset: TabularDataset, splitSeeds: number[], nEstimators: number): Case {
  return {
    dataset,
    splitSeeds,
    fit: (X, y, seed) => fitRandomForest(X, y, { task: dataset.task, nEstimators, seed }),
    reload,
    model: "random_forest",
    params: (seed) => ({ n_estimators: nEstimators, random_state: seed, n_jobs: 2 }),
  };
}

test("decision trees are as accurate as scikit-learn's on real and synthetic data", async () => {
  assertNotWorse(
    await compareWithSklearn([
      treeCase(penguins(), treeSeeds, null),
      treeCase(seattleWeather(), treeSeeds, 5),
      treeCase(carsMpg(), treeSeeds, null),
      treeCase(seattleTempMax(), treeSeeds, 8),
      treeCase(synthetic(100_000, 20, "classification", 11), [1], 10),
      treeCase(synthetic(100_000, 20, "regression", 12), [1], 10),
    ]),
  );
});

test("random forests are as accurate as scikit-learn's on real and synthetic data", async () => {
  assertNotWorse(
    await compareWithSklearn([
      forestCase(penguins(), forestSeeds, 100),
      forestCase(seattleWeather(), forestSeeds, 100),
      forestCase(carsMpg(), forestSeeds, 100),
      forestCase(seattleTempMax(), forestSeeds, 50),
      forestCase(synthetic(50_000, 10, "classification", 13), [1], 10),
      forestCase(synthetic(30_000, 10, "regression", 14), [1], 10),
    ]),
  );
});
