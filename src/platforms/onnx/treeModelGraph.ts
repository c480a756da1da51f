import type { EstimatorJson } from "../../models/estimators.js";
import type { GraphBuilder } from "./GraphBuilder.js";
import { treeEnsembleGraph, type EnsembleTree } from "./treeGraph.js";
import { binaryProbabilitiesGraph, OUTPUTS, squeezedGraph } from "./outputGraph.js";

type TreeParams = Extract<EstimatorJson, { kind: "decision_tree" | "random_forest" | "gradient_boosting" }>;

/**
 * A tree model's nodes from the matrix X to `prediction` [N] (a regression) or `probabilities`
 * [N, K] (a classifier), as dw computes them. Decision trees and random forests average their
 * trees (TreeEnsemble.average: each leaf's values times 1/T, summed in tree order), a class
 * fraction per class, so a classifier's tree is written once per class. Gradient boosting sums
 * its baseline and its trees' raw scores (one output, or one per class with tree t adding to
 * class t mod K), then a sigmoid (p0 = 1 − p1) or a softmax, as GradientBoosting.predictProba.
 */
export function treeModelGraph(b: GraphBuilder, X: string, params: TreeParams): void {
  if (params.kind === "gradient_boosting") {
    const m = params.model;
    const K = m.baseline.length;
    const trees: EnsembleTree[] = m.trees.map((tree, t) => ({ tree, nOut: 1, column: 0, scale: 1, target: t % K }));
    const raw = treeEnsembleGraph(b, X, trees, K, { start: m.baseline });
    if (m.loss === "squared_error") squeezedGraph(b, raw, OUTPUTS.prediction);
    else if (m.loss === "log_loss") binaryProbabilitiesGraph(b, b.node("Sigmoid", [raw], { hint: "p1.column" }));
    else b.node("Softmax", [raw], { output: OUTPUTS.probabilities, attributes: [{ name: "axis", kind: "int", value: 1 }] });
    return;
  }
  const m = params.model;
  const scale = 1 / m.trees.length;
  if (m.task === "regression") {
    const trees = m.trees.map((tree) => ({ tree, nOut: 1, column: 0, scale, target: 0 }));
    squeezedGraph(b, treeEnsembleGraph(b, X, trees, 1), OUTPUTS.prediction);
    return;
  }
  const K = m.nClasses;
  const trees: EnsembleTree[] = [];
  for (const tree of m.trees) for (let k = 0; k < K; k++) trees.push({ tree, nOut: K, column: k, scale, target: k });
  treeEnsembleGraph(b, X, trees, K, { output: OUTPUTS.probabilities });
}
