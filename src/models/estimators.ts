import { z } from "zod";
import type { FeatureMatrix } from "./FeatureMatrix.js";
import { fitLinear, predictLinear } from "./linearRegression.js";
import { LogisticRegression, type LogisticRegressionJson } from "./LogisticRegression.js";
import { TreeEnsemble, type TreeEnsembleJson } from "./TreeEnsemble.js";
import { fitDecisionTree } from "./fitDecisionTree.js";
import { fitRandomForest } from "./fitRandomForest.js";
import { GradientBoosting, type GradientBoostingJson } from "./GradientBoosting.js";

/** Algorithm names train_model accepts. `xgboost` and `lightgbm` train dw's gradient boosting. */
export const ALGORITHMS = ["linear_regression", "logistic_regression", "decision_tree", "random_forest", "gradient_boosting", "xgboost", "lightgbm"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export type Estimator = "linear_regression" | "logistic_regression" | "decision_tree" | "random_forest" | "gradient_boosting";
export type Task = "regression" | "classification";

const maxFeatures = z.union([z.number().positive(), z.enum(["sqrt", "log2"]), z.null()]);
const treeParams = {
  max_depth: z.number().int().min(1).nullable().optional().describe("Deepest a tree may grow; null grows until leaves are pure."),
  min_samples_split: z.number().int().min(2).optional(),
  min_samples_leaf: z.number().int().min(1).optional(),
  max_features: maxFeatures.optional().describe("Features tried per split: a count, a fraction, sqrt, log2 or null (all)."),
  criterion: z.enum(["gini", "entropy", "squared_error"]).optional(),
  max_bins: z.number().int().min(2).max(256).optional(),
};
const boostingParams = z.strictObject({
  learning_rate: z.number().positive().optional(),
  max_iter: z.number().int().min(1).optional(),
  max_leaf_nodes: z.number().int().min(2).nullable().optional(),
  max_depth: z.number().int().min(1).nullable().optional(),
  min_samples_leaf: z.number().int().min(1).optional(),
  l2_regularization: z.number().min(0).optional(),
  max_bins: z.number().int().min(2).max(256).optional(),
  early_stopping: z.union([z.boolean(), z.literal("auto")]).optional(),
  validation_fraction: z.number().gt(0).lt(1).optional(),
  n_iter_no_change: z.number().int().min(1).optional(),
});

/** Each algorithm's hyperparameters, named as scikit-learn names them. Unknown names are refused. */
export const HYPERPARAMETERS: Record<Estimator, z.ZodType> = {
  linear_regression: z.strictObject({ l2: z.number().min(0).optional().describe("L2 (ridge) penalty; 0 is ordinary least squares.") }),
  logistic_regression: z.strictObject({ C: z.number().positive().optional(), max_iter: z.number().int().min(1).optional(), tol: z.number().positive().optional() }),
  decision_tree: z.strictObject(treeParams),
  random_forest: z.strictObject({ ...treeParams, n_estimators: z.number().int().min(1).max(2000).optional(), bootstrap: z.boolean().optional() }),
  gradient_boosting: boostingParams,
};

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

export type EstimatorJson =
  | { kind: "linear_regression"; intercept: number; coefficients: number[] }
  | { kind: "logistic_regression"; model: LogisticRegressionJson }
  | { kind: "decision_tree" | "random_forest"; model: TreeEnsembleJson }
  | { kind: "gradient_boosting"; model: GradientBoostingJson };

/** A fitted estimator: predictions on a matrix, class probabilities for classifiers. */
export interface Predictor {
  /** Regression: values. Classification: class indices. */
  predict(X: FeatureMatrix): Float64Array;
  /** Row-major n × K class probabilities (classification only). */
  predictProba?(X: FeatureMatrix): Float64Array;
  json: EstimatorJson;
}

type Hp = Record<string, unknown>;

/** Fits `estimator` on X (row-major) and y (values, or class indices 0..K-1). Deterministic given seed. */
export function fitEstimator(estimator: Estimator, task: Task, X: FeatureMatrix, y: Float64Array, nClasses: number, hp: Hp, seed: number, shouldStop?: () => boolean): Predictor {
  switch (estimator) {
    case "linear_regression": {
      const fit = fitLinear(X.data as Float64Array, y, X.rows, X.cols, (hp.l2 as number | undefined) ?? 0);
      return loadEstimator({ kind: "linear_regression", ...fit });
    }
    case "logistic_regression":
      return loadEstimator({ kind: "logistic_regression", model: LogisticRegression.fit(X, y, { C: hp.C as number | undefined, maxIter: hp.max_iter as number | undefined, tol: hp.tol as number | undefined }).toJSON() });
    case "decision_tree":
    case "random_forest": {
      const options = {
        task,
        nClasses: task === "classification" ? nClasses : undefined,
        seed,
        maxDepth: hp.max_depth as number | null | undefined,
        minSamplesSplit: hp.min_samples_split as number | undefined,
        minSamplesLeaf: hp.min_samples_leaf as number | undefined,
        maxFeatures: hp.max_features as number | "sqrt" | "log2" | null | undefined,
        criterion: hp.criterion as "gini" | "entropy" | "squared_error" | undefined,
        maxBins: hp.max_bins as number | undefined,
        nEstimators: hp.n_estimators as number | undefined,
        bootstrap: hp.bootstrap as boolean | undefined,
        shouldStop,
      };
      const model = estimator === "decision_tree" ? fitDecisionTree(X, y, options) : fitRandomForest(X, y, options);
      return loadEstimator({ kind: estimator, model: model.toJSON() });
    }
    case "gradient_boosting": {
      const model = GradientBoosting.fit(X, y, {
        task,
        nClasses: task === "classification" ? nClasses : undefined,
        seed,
        learningRate: hp.learning_rate as number | undefined,
        maxIter: hp.max_iter as number | undefined,
        maxLeafNodes: hp.max_leaf_nodes as number | null | undefined,
        maxDepth: hp.max_depth as number | null | undefined,
        minSamplesLeaf: hp.min_samples_leaf as number | undefined,
        l2Regularization: hp.l2_regularization as number | undefined,
        maxBins: hp.max_bins as number | undefined,
        earlyStopping: hp.early_stopping as boolean | "auto" | undefined,
        validationFraction: hp.validation_fraction as number | undefined,
        nIterNoChange: hp.n_iter_no_change as number | undefined,
        shouldStop,
      });
      return loadEstimator({ kind: "gradient_boosting", model: model.toJSON() });
    }
  }
}

/** Rebuilds a predictor from its JSON. Data only: nothing is evaluated. */
export function loadEstimator(json: EstimatorJson): Predictor {
  switch (json.kind) {
    case "linear_regression":
      return { json, predict: (X) => predictLinear(json, X.data as Float64Array, X.rows, X.cols) };
    case "logistic_regression": {
      const m = LogisticRegression.fromJSON(json.model);
      return { json, predict: (X) => Float64Array.from(m.predict(X)), predictProba: (X) => m.predictProba(X) };
    }
    case "decision_tree":
    case "random_forest": {
      const m = TreeEnsemble.fromJSON(json.model);
      return { json, predict: (X) => m.predict(X), predictProba: json.model.task === "classification" ? (X) => m.predictProba(X) : undefined };
    }
    case "gradient_boosting": {
      const m = GradientBoosting.fromJSON(json.model);
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
