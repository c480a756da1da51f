import assert from "node:assert/strict";
import { test } from "node:test";
import { DwError } from "../../../src/errors/DwError.js";
import { fitEstimator, type Estimator, type Task } from "../../../src/models/estimators.js";
import { fitDecisionTree } from "../../../src/models/fitDecisionTree.js";
import { fitRandomForest } from "../../../src/models/fitRandomForest.js";
import { GradientBoosting } from "../../../src/models/GradientBoosting.js";
import { hyperparameterDefaults, hyperparameterNames, parseHyperparameters, resolvedHyperparameters } from "../../../src/models/hyperparameters.js";
import { LogisticRegression } from "../../../src/models/LogisticRegression.js";
import { synthetic } from "./datasets.js";

test("the defaults table agrees with each fitter's own defaults: fitting with {} gives the model the fitter gives without options", () => {
  const cases: [Estimator, Task, (d: ReturnType<typeof synthetic>) => unknown][] = [
    ["logistic_regression", "classification", (d) => LogisticRegression.fit(d.X, d.y).toJSON()],
    ["decision_tree", "classification", (d) => fitDecisionTree(d.X, d.y, { task: "classification", nClasses: 3, seed: 5 }).toJSON()],
    ["decision_tree", "regression", (d) => fitDecisionTree(d.X, d.y, { task: "regression", seed: 5 }).toJSON()],
    ["random_forest", "classification", (d) => fitRandomForest(d.X, d.y, { task: "classification", nClasses: 3, seed: 5 }).toJSON()],
    ["random_forest", "regression", (d) => fitRandomForest(d.X, d.y, { task: "regression", seed: 5 }).toJSON()],
    ["gradient_boosting", "classification", (d) => GradientBoosting.fit(d.X, d.y, { task: "classification", nClasses: 3, seed: 5 }).toJSON()],
    ["gradient_boosting", "regression", (d) => GradientBoosting.fit(d.X, d.y, { task: "regression", seed: 5 }).toJSON()],
  ];
  for (const [estimator, task, fitBare] of cases) {
    const d = synthetic(120, 5, task, 3, 3);
    const viaTable = fitEstimator(estimator, task, d.X, d.y, task === "classification" ? 3 : 0, {}, 5).json;
    assert.ok("model" in viaTable, estimator);
    assert.deepEqual(viaTable.model, fitBare(d), `${estimator} ${task}`);
  }
});

test("defaults depend on the task where scikit-learn's do: a tree's criterion, a forest's features per split", () => {
  assert.equal(hyperparameterDefaults("decision_tree", "classification").criterion, "gini");
  assert.equal(hyperparameterDefaults("decision_tree", "regression").criterion, "squared_error");
  assert.equal(hyperparameterDefaults("decision_tree", "classification").max_features, null);
  assert.equal(hyperparameterDefaults("random_forest", "classification").max_features, "sqrt");
  assert.equal(hyperparameterDefaults("random_forest", "regression").max_features, null);
  assert.equal(hyperparameterDefaults("random_forest", "regression").n_estimators, 100);
  assert.equal(hyperparameterDefaults("gradient_boosting", "regression").max_iter, 100);
  assert.equal(hyperparameterDefaults("logistic_regression", "classification").max_iter, 1000);
});

test("resolved hyperparameters: the given ones over the defaults; null is a value, undefined takes the default", () => {
  const hp = resolvedHyperparameters("random_forest", "classification", { n_estimators: 7, max_depth: null, max_features: undefined });
  assert.equal(hp.n_estimators, 7);
  assert.equal(hp.max_depth, null);
  assert.equal(hp.max_features, "sqrt");
  assert.equal(hp.bootstrap, true);
  assert.equal(resolvedHyperparameters("gradient_boosting", "regression", { max_leaf_nodes: null }).max_leaf_nodes, null);
  assert.equal(resolvedHyperparameters("gradient_boosting", "regression", {}).max_leaf_nodes, 31);
});

test("what a run stores is what was given, in the schema's order, with no default added", () => {
  const given = parseHyperparameters("random_forest", { bootstrap: false, n_estimators: 5, max_depth: 3 });
  assert.deepEqual(Object.entries(given), [
    ["max_depth", 3],
    ["n_estimators", 5],
    ["bootstrap", false],
  ]);
  assert.deepEqual(parseHyperparameters("linear_regression", {}), {});
  assert.deepEqual(hyperparameterNames("logistic_regression"), ["C", "max_iter", "tol"]);
});

test("an unknown name or a bad value is an INVALID_INPUT naming each, with the names allowed", () => {
  assert.throws(
    () => parseHyperparameters("gradient_boosting", { C: 1, max_iter: 0 }, "xgboost"),
    (e: unknown) => {
      assert.ok(e instanceof DwError);
      assert.equal(e.code, "INVALID_INPUT");
      assert.match(e.message, /^Bad hyperparameters for xgboost: .*unknown 'C'/);
      assert.match(e.message, /max_iter: /);
      assert.match(e.hint ?? "", /^xgboost takes: learning_rate, max_iter, /);
      assert.deepEqual(e.details, { field: "hyperparameters", allowed: hyperparameterNames("gradient_boosting") });
      return true;
    },
  );
  assert.throws(() => fitEstimator("linear_regression", "regression", synthetic(20, 5, "regression", 1).X, new Float64Array(20), 0, { l2: -1 }, 0), /l2/);
});
