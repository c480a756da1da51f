import type { FeatureMatrix } from "./FeatureMatrix.js";
import { TreeEnsemble, type ForestOptions } from "./TreeEnsemble.js";

/**
 * A random forest with scikit-learn's defaults: 100 trees, bootstrap rows, √p features per split
 * for classification and all p for regression, trees grown to purity; the prediction averages
 * the trees' class fractions (or means). Deterministic given `seed`.
 *
 * @example
 * const X = { data: new Float64Array([1, 2, 3, 4]), rows: 4, cols: 1 };
 * const forest = fitRandomForest(X, [0, 0, 1, 1], { task: "classification", nEstimators: 10, seed: 1 });
 * forest.predictProba(X); // row-major 4 × 2
 */
export function fitRandomForest(X: FeatureMatrix, y: ArrayLike<number>, options: ForestOptions): TreeEnsemble {
  return TreeEnsemble.fit(X, y, "random_forest", {
    ...options,
    nEstimators: options.nEstimators ?? 100,
    bootstrap: options.bootstrap ?? true,
    maxFeatures: options.maxFeatures === undefined ? (options.task === "classification" ? "sqrt" : null) : options.maxFeatures,
  });
}
