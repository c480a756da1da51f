import type { Column } from "../data/Dataset.js";
import type { Task } from "./estimators.js";

/** A task and why: the rule that chose it in words, and a warning when the choice may be wrong. */
export interface TaskChoice {
  value: Task;
  rule: string;
  warning?: string;
}

/** A whole-number target with at most this many distinct values may be class labels rather than amounts. */
export const FEW_WHOLE_VALUES = 20;

/**
 * The task a target implies when none is asked, the same in every tool, with the rule in words:
 * classification for a text, boolean or date target, and for a numeric one holding exactly two
 * values (0/1 flags); regression for any other numeric target. A regression on a target of few whole
 * values (ratings, counts, or class labels coded 0/1/2) carries a warning that suggests
 * `task: classification`, since dw cannot tell labels from amounts. One pass, at most
 * FEW_WHOLE_VALUES + 1 values remembered.
 *
 * @example
 * ```ts
 * chooseTask(wine.class); // { value: "regression", rule: "the target 'class' is numeric with 3 distinct whole values (0 to 2); trained as a regression", warning: "…" }
 * ```
 */
export function chooseTask(target: Column): TaskChoice {
  const name = target.name;
  if (target.type !== "number") {
    const what = target.type === "string" ? "text" : target.type === "boolean" ? "true/false" : "date";
    return { value: "classification", rule: `the target '${name}' holds ${what} values; trained as a classification` };
  }
  const seen = new Set<number>();
  let whole = true;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of target.values) {
    if (Number.isNaN(v)) continue;
    if (seen.size <= FEW_WHOLE_VALUES) seen.add(v);
    if (!Number.isInteger(v)) whole = false;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (seen.size === 0) return { value: "regression", rule: `the target '${name}' is numeric but has no values; a numeric target is a regression` };
  if (seen.size === 1) return { value: "regression", rule: `the target '${name}' is numeric with one value only (${lo}); a numeric target is a regression` };
  if (seen.size === 2) {
    const [a, b] = [...seen].sort((x, y) => x - y);
    return { value: "classification", rule: `the target '${name}' is numeric with two distinct values (${a} and ${b}); trained as a classification` };
  }
  const few = seen.size <= FEW_WHOLE_VALUES;
  const count = few ? `${seen.size} distinct` : `more than ${FEW_WHOLE_VALUES} distinct`;
  const kind = whole ? "whole values" : "values, not all whole";
  const rule = `the target '${name}' is numeric with ${count} ${kind} (${lo} to ${hi}); trained as a regression`;
  if (!(few && whole && seen.size > 2)) return { value: "regression", rule };
  const values = [...seen].sort((x, y) => x - y).join(", ");
  return {
    value: "regression",
    rule,
    warning: `'${name}' holds only ${seen.size} whole values (${values}): if they are class labels rather than amounts, pass task: classification (--task classification) to train a classifier.`,
  };
}
