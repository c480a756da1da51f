import { z } from "zod";
import type { FeatureMatrix } from "./FeatureMatrix.js";
import { FiniteNumber, FiniteNumbers, parseFitted, type FieldIssue } from "./fittedJson.js";
import { fieldPath } from "../workspace/parseDocument.js";
import { fitLinear, predictLinear } from "./linearRegression.js";
import { LogisticRegression, LogisticRegressionJson } from "./LogisticRegression.js";
import { TreeEnsemble, TreeEnsembleJson, type TreeOptions } from "./TreeEnsemble.js";
import { fitDecisionTree } from "./fitDecisionTree.js";
import { fitRandomForest } from "./fitRandomForest.js";
import { GradientBoosting, GradientBoostingJson } from "./GradientBoosting.js";
import { resolvedHyperparameters, type Estimator, type ResolvedHyperparameters, type Task } from "./hyperparameters.js";

import { ALGORITHMS, type Algorithm } from "./algorithms.js";
// The algorithm names live in algorithms.ts (import-free, for tools' schemas); exported here too.
export { ALGORITHMS, type Algorithm };
// The estimators' names, tasks and hyperparameters live in hyperparameters.ts; these are exported
// here too because most callers know an estimator from this module.
export { ESTIMATORS, HYPERPARAMETERS, type Estimator, type Task } from "./hyperparameters.js";

export function estimatorOf(algorithm: Algorithm): Estimator {
  return algorithm === "xgboost" || algorithm === "lightgbm" ? "gradient_boosting" : algorithm;
}

/** Which tasks each estimator can learn. */
export const TASKS: Record<Estimator, Task[]> = {
  linear_regression: ["regression"],
  logistic_regression: ["classification"],
  decision_tree: ["regression", "classification"],
  random_forest: ["regression", "classification"],
  gradient_boosting: ["regression", "classification"],
};

/** A tree kind's model must be of that kind (its predictions are the same, but model.json would say one thing and hold another). */
const treeKind = <K extends "decision_tree" | "random_forest">(kind: K) =>
  z.object({ kind: z.literal(kind), model: TreeEnsembleJson }).superRefine((p, ctx) => {
    if (p.model.algorithm !== kind)
      ctx.addIssue({ code: "custom", continue: false, path: ["model", "algorithm"], message: `expected "${kind}", as kind says` });
  });

/**
 * `params` in model.json: the fitted estimator, `kind` first. Linear regression's numbers are
 * inline; the other kinds hold their model's `toJSON()` under `model`. Parsing checks everything
 * that can be checked from params alone (types, finite numbers, lengths that agree, tree indices);
 * loadEstimatorChecked adds the model's matrix columns and classes.
 */
export const EstimatorJson = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("linear_regression"), intercept: FiniteNumber, coefficients: FiniteNumbers }),
  z.object({ kind: z.literal("logistic_regression"), model: LogisticRegressionJson }),
  treeKind("decision_tree"),
  treeKind("random_forest"),
  z.object({ kind: z.literal("gradient_boosting"), model: GradientBoostingJson }),
]);
export type EstimatorJson = z.infer<typeof EstimatorJson>;

/** What the rest of model.json says the estimator must fit: its matrix columns and, for a classifier, its classes. */
export interface EstimatorShape {
  /** `preprocessing.feature_names.length`: the columns of the matrix the pipeline builds. */
  features: number;
  /** `classes.length` for a classification model; absent for a regression. */
  classes?: number;
}

/** A fitted estimator: predictions on a matrix, class probabilities for classifiers. */
export interface Predictor {
  /** Regression: values. Classification: class indices. */
  predict(X: FeatureMatrix): Float64Array;
  /** Row-major n × K class probabilities (classification only). */
  predictProba?(X: FeatureMatrix): Float64Array;
  json: EstimatorJson;
}

/**
 * Fits `estimator` on X (row-major) and y (values, or class indices 0..K-1). Deterministic given
 * seed. `hyperparameters` are checked against the estimator's (an INVALID_INPUT otherwise) and
 * every one not given takes its default (see hyperparameters.ts).
 */
export function fitEstimator(
  estimator: Estimator,
  task: Task,
  X: FeatureMatrix,
  y: Float64Array,
  nClasses: number,
  hyperparameters: Readonly<Record<string, unknown>>,
  seed: number,
  shouldStop?: () => boolean,
): Predictor {
  switch (estimator) {
    case "linear_regression": {
      const hp = resolvedHyperparameters(estimator, task, hyperparameters);
      const fit = fitLinear(X.data as Float64Array, y, X.rows, X.cols, hp.l2);
      return loadEstimator({ kind: "linear_regression", ...fit });
    }
    case "logistic_regression": {
      const hp = resolvedHyperparameters(estimator, task, hyperparameters);
      return loadEstimator({
        kind: "logistic_regression",
        model: LogisticRegression.fit(X, y, { C: hp.C, maxIter: hp.max_iter, tol: hp.tol }).toJSON(),
      });
    }
    case "decision_tree": {
      const hp = resolvedHyperparameters(estimator, task, hyperparameters);
      return loadEstimator({ kind: estimator, model: fitDecisionTree(X, y, treeOptions(hp, task, nClasses, seed, shouldStop)).toJSON() });
    }
    case "random_forest": {
      const hp = resolvedHyperparameters(estimator, task, hyperparameters);
      const options = { ...treeOptions(hp, task, nClasses, seed, shouldStop), nEstimators: hp.n_estimators, bootstrap: hp.bootstrap };
      return loadEstimator({ kind: estimator, model: fitRandomForest(X, y, options).toJSON() });
    }
    case "gradient_boosting": {
      const hp = resolvedHyperparameters(estimator, task, hyperparameters);
      const model = GradientBoosting.fit(X, y, {
        task,
        nClasses: task === "classification" ? nClasses : undefined,
        seed,
        learningRate: hp.learning_rate,
        maxIter: hp.max_iter,
        maxLeafNodes: hp.max_leaf_nodes,
        maxDepth: hp.max_depth,
        minSamplesLeaf: hp.min_samples_leaf,
        l2Regularization: hp.l2_regularization,
        maxBins: hp.max_bins,
        earlyStopping: hp.early_stopping,
        validationFraction: hp.validation_fraction,
        nIterNoChange: hp.n_iter_no_change,
        shouldStop,
      });
      return loadEstimator({ kind: "gradient_boosting", model: model.toJSON() });
    }
  }
}

/** A tree's options from its hyperparameters (a forest's are a tree's and two more). */
function treeOptions(hp: ResolvedHyperparameters<"decision_tree">, task: Task, nClasses: number, seed: number, shouldStop?: () => boolean): TreeOptions {
  return {
    task,
    nClasses: task === "classification" ? nClasses : undefined,
    seed,
    maxDepth: hp.max_depth,
    minSamplesSplit: hp.min_samples_split,
    minSamplesLeaf: hp.min_samples_leaf,
    maxFeatures: hp.max_features,
    criterion: hp.criterion,
    maxBins: hp.max_bins,
    shouldStop,
  };
}

/**
 * Rebuilds a predictor from its JSON, checked against EstimatorJson first (a TypeError names the
 * first bad field). Data only: nothing is evaluated. For params read from a model.json, use
 * loadEstimatorChecked, which also checks them against the rest of the model.
 */
export function loadEstimator(json: EstimatorJson): Predictor {
  return predictorOf(parseFitted(EstimatorJson, json, "params"));
}

/**
 * Rebuilds the predictor of a model.json's `params`, read from anywhere, after checking them as
 * data: EstimatorJson's checks, then that the estimator fits the model's `shape` (one coefficient
 * per matrix column, a classifier with the model's classes, a regression without). Throws a
 * TypeError naming the field and what is wrong, e.g. `params.coefficients[3]: expected a finite
 * number`. Time and memory are linear in the size of params.
 *
 * @example
 * const params = { kind: "linear_regression", intercept: 1, coefficients: [2, 3] };
 * const predictor = loadEstimatorChecked(params, { features: 2 });
 * predictor.predict({ data: new Float64Array([1, 1]), rows: 1, cols: 2 }); // Float64Array [6]
 */
export function loadEstimatorChecked(params: unknown, shape: EstimatorShape): Predictor {
  const json = parseFitted(EstimatorJson, params, "params");
  const issue = shapeIssue(json, shape);
  if (issue) throw new TypeError(`${fieldPath("params", issue.path)}: ${issue.message}`);
  return predictorOf(json);
}

/** Where the estimator does not fit the model's matrix columns or classes, if anywhere. */
function shapeIssue(json: EstimatorJson, { features, classes }: EstimatorShape): FieldIssue | undefined {
  const columns = `one per matrix column (preprocessing.feature_names has ${features})`;
  if (json.kind === "linear_regression") {
    if (classes !== undefined) return { path: ["kind"], message: `a linear regression predicts values, but the model is a classifier with ${classes} classes` };
    if (json.coefficients.length !== features)
      return { path: ["coefficients"], message: `expected ${features} coefficients, ${columns}, got ${json.coefficients.length}` };
    return undefined;
  }
  const m = json.model;
  if (m.nFeatures !== features) return { path: ["model", "nFeatures"], message: `expected ${features}, ${columns}, got ${m.nFeatures}` };
  const task = "task" in m ? m.task : "classification";
  if (classes === undefined && task === "classification") {
    return { path: "task" in m ? ["model", "task"] : ["kind"], message: "the estimator is a classifier, but the model has no classes (a regression)" };
  }
  if (classes !== undefined && task === "regression")
    return { path: ["model", "task"], message: `expected "classification": the model has ${classes} classes` };
  if (classes !== undefined && m.nClasses !== classes)
    return { path: ["model", "nClasses"], message: `expected ${classes}, one per label in classes, got ${m.nClasses}` };
  return undefined;
}

/** The predictor of params that EstimatorJson has checked. */
function predictorOf(json: EstimatorJson): Predictor {
  switch (json.kind) {
    case "linear_regression":
      return { json, predict: (X) => predictLinear(json, X.data as Float64Array, X.rows, X.cols) };
    case "logistic_regression": {
      const m = LogisticRegression.fromChecked(json.model);
      return { json, predict: (X) => Float64Array.from(m.predict(X)), predictProba: (X) => m.predictProba(X) };
    }
    case "decision_tree":
    case "random_forest": {
      const m = TreeEnsemble.fromChecked(json.model);
      return { json, predict: (X) => m.predict(X), predictProba: json.model.task === "classification" ? (X) => m.predictProba(X) : undefined };
    }
    case "gradient_boosting": {
      const m = GradientBoosting.fromChecked(json.model);
      return { json, predict: (X) => m.predict(X), predictProba: json.model.task === "classification" ? (X) => m.predictProba(X) : undefined };
    }
  }
}

/** A short, readable summary of a fitted estimator for the train_model output. */
export function describeEstimator(json: EstimatorJson, featureNames: string[]): Record<string, unknown> {
  switch (json.kind) {
    case "linear_regression":
      return { intercept: json.intercept, coefficients: Object.fromEntries(featureNames.map((f, j) => [f, json.coefficients[j]])) };
    case "logistic_regression":
      return { classes: json.model.nClasses, iterations: json.model.iterations, converged: json.model.converged };
    case "decision_tree":
    case "random_forest":
      return { trees: json.model.trees.length, nodes: json.model.trees.reduce((a, t) => a + t.feature.length, 0) };
    case "gradient_boosting":
      return { iterations: json.model.nIter, trees: json.model.trees.length };
  }
}
