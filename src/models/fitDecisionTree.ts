import type { FeatureMatrix } from "./FeatureMatrix.js";
import { TreeEnsemble, type TreeOptions } from "./TreeEnsemble.js";

/**
 * A CART decision tree (scikit-learn's DecisionTreeClassifier / DecisionTreeRegressor defaults:
 * gini or squared error, all features, no depth limit), with splits searched on at most 255
 * quantile bins per feature. Classification labels are class indices 0..K-1.
 *
 * @example
 * const X = { data: new Float64Array([1, 2, 3, 4]), rows: 4, cols: 1 };
 * const tree = fitDecisionTree(X, [0, 0, 1, 1], { task: "classification", maxDepth: 3 });
 * tree.predict(X); // Float64Array [0, 0, 1, 1]
 */
export function fitDecisionTree(X: FeatureMatrix, y: ArrayLike<number>, options: TreeOptions): TreeEnsemble {
  return TreeEnsemble.fit(X, y, "decision_tree", { ...options, nEstimators: 1, bootstrap: false });
}
