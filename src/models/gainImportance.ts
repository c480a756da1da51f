import type { EstimatorJson } from "./estimators.js";
import type { TreeJson } from "./treeModel.js";

/**
 * A tree model's importance per encoded feature, summing to 1: the split gain (impurity decrease)
 * each feature brought. A tree or forest normalises each tree's gains and averages them, as
 * scikit-learn's feature_importances_; boosting adds its trees' gains (xgboost's total_gain), since
 * every boosting tree fits the same loss. Undefined for models without trees.
 */
export function gainImportance(params: EstimatorJson, names: readonly string[]): { feature: string; importance: number }[] | undefined {
  let trees: TreeJson[];
  let perTree: boolean;
  if (params.kind === "decision_tree" || params.kind === "random_forest") {
    trees = params.model.trees;
    perTree = true;
  } else if (params.kind === "gradient_boosting") {
    trees = params.model.trees;
    perTree = false;
  } else {
    return undefined;
  }
  const total = new Float64Array(names.length);
  const one = new Float64Array(names.length);
  for (const t of trees) {
    one.fill(0);
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i] >= 0) one[t.feature[i]] += t.gain[i];
    const sum = perTree ? one.reduce((a, b) => a + b, 0) : 1;
    if (sum > 0) for (let j = 0; j < names.length; j++) total[j] += one[j] / sum;
  }
  const sum = total.reduce((a, b) => a + b, 0);
  return names
    .map((feature, j) => ({ feature, importance: sum > 0 ? total[j] / sum : 0 }))
    .sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
}
