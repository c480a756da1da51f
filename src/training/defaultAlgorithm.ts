import type { Algorithm, Task } from "../models/estimators.js";

/**
 * The algorithm a training uses when none is asked for: the simplest model of its task, a linear
 * regression for a regression and a logistic regression for a classification (select_model compares
 * the others on the same data). The task comes first (asked, or inferred from the target), so a text
 * target trains without naming an algorithm.
 *
 * @example
 * ```ts
 * defaultAlgorithm("classification"); // "logistic_regression"
 * ```
 */
export function defaultAlgorithm(task: Task): Algorithm {
  return task === "classification" ? "logistic_regression" : "linear_regression";
}
