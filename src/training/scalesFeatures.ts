import type { Estimator } from "../models/estimators.js";

/**
 * Whether dw's default pipeline standardises the number features for this estimator (its fit is
 * better conditioned so; the trees and the linear solve do not need it): the one rule fitOnRows
 * fits the pipeline by and stageTrainingMatrix stages the matrix by.
 *
 * @example
 * ```ts
 * fitPipeline(data.features, rows, { scale: scalesFeatures("logistic_regression") }); // scale: true
 * ```
 */
export function scalesFeatures(estimator: Estimator): boolean {
  return estimator === "logistic_regression";
}
