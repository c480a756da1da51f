import type { EstimatorJson } from "../../models/estimators.js";
import type { GraphBuilder } from "./GraphBuilder.js";
import { binaryProbabilitiesGraph, OUTPUTS } from "./outputGraph.js";

type Linear = Extract<EstimatorJson, { kind: "linear_regression" }>;
type Logistic = Extract<EstimatorJson, { kind: "logistic_regression" }>["model"];

/** Linear regression: intercept + X·coefficients, [N] doubles, into `prediction` (predictLinear). */
export function linearRegressionGraph(b: GraphBuilder, X: string, params: Linear): void {
  const coef = b.constant("coefficients", "double", [params.coefficients.length], params.coefficients);
  const xw = b.node("MatMul", [X, coef], { hint: "linear" });
  b.node("Add", [xw, b.constant("intercept", "double", [], [params.intercept])], { output: OUTPUTS.prediction });
}

/**
 * Logistic regression's class probabilities, [N, K] doubles, into `probabilities`, as
 * LogisticRegression.predictProba computes them: binary, p1 = sigmoid(b + x·w) and p0 = 1 − p1;
 * multinomial, a softmax over b_k + x·w_k.
 */
export function logisticRegressionGraph(b: GraphBuilder, X: string, m: Logistic): void {
  const p = m.nFeatures;
  if (m.nClasses === 2) {
    const w = b.constant("coefficients", "double", [p], m.coefficients[0]);
    const z = b.node("Add", [b.node("MatMul", [X, w], { hint: "xw" }), b.constant("intercept", "double", [], [m.intercepts[0]])], { hint: "log_odds" });
    const axis = b.constant("axis1", "int64", [1], [1]);
    binaryProbabilitiesGraph(b, b.node("Unsqueeze", [b.node("Sigmoid", [z], { hint: "p1" }), axis], { hint: "p1.column" }));
    return;
  }
  const K = m.nClasses;
  // W is stored one row per class; MatMul wants [p, K].
  const wt = new Float64Array(p * K);
  for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) wt[j * K + k] = m.coefficients[k][j];
  const z = b.node(
    "Add",
    [b.node("MatMul", [X, b.constant("coefficients", "double", [p, K], wt)], { hint: "xw" }), b.constant("intercepts", "double", [K], m.intercepts)],
    {
      hint: "scores",
    },
  );
  b.node("Softmax", [z], { output: OUTPUTS.probabilities, attributes: [{ name: "axis", kind: "int", value: 1 }] });
}
