import { z } from "zod";
import { DwError } from "../errors/DwError.js";

/** What a model learns: values (regression) or one of a set of labels (classification). */
export type Task = "regression" | "classification";

const maxFeatures = z.union([z.number().positive(), z.enum(["sqrt", "log2"]), z.null()]);
const treeShape = {
  max_depth: z.number().int().min(1).nullable().optional().describe("Deepest a tree may grow; null grows until leaves are pure."),
  min_samples_split: z.number().int().min(2).optional(),
  min_samples_leaf: z.number().int().min(1).optional(),
  max_features: maxFeatures.optional().describe("Features tried per split: a count, a fraction, sqrt, log2 or null (all)."),
  criterion: z.enum(["gini", "entropy", "squared_error"]).optional(),
  max_bins: z.number().int().min(2).max(256).optional(),
};

export const LinearRegressionHyperparameters = z.strictObject({
  l2: z.number().min(0).optional().describe("L2 (ridge) penalty; 0 is ordinary least squares."),
});
export const LogisticRegressionHyperparameters = z.strictObject({
  C: z.number().positive().optional(),
  max_iter: z.number().int().min(1).optional(),
  tol: z.number().positive().optional(),
});
export const DecisionTreeHyperparameters = z.strictObject(treeShape);
export const RandomForestHyperparameters = z.strictObject({
  ...treeShape,
  n_estimators: z.number().int().min(1).max(2000).optional(),
  bootstrap: z.boolean().optional(),
});
export const GradientBoostingHyperparameters = z.strictObject({
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

/**
 * Each estimator's hyperparameters, named as scikit-learn names them; unknown names are refused.
 * Every one is optional: what a run stores is what the user gave, in this order, and the defaults
 * below fill the rest when fitting.
 */
export const HYPERPARAMETERS = {
  linear_regression: LinearRegressionHyperparameters,
  logistic_regression: LogisticRegressionHyperparameters,
  decision_tree: DecisionTreeHyperparameters,
  random_forest: RandomForestHyperparameters,
  gradient_boosting: GradientBoostingHyperparameters,
} satisfies Record<Estimator, z.ZodType>;

/** The estimators dw fits (the algorithms xgboost and lightgbm are fitted by gradient_boosting). */
export const ESTIMATORS = ["linear_regression", "logistic_regression", "decision_tree", "random_forest", "gradient_boosting"] as const;
export type Estimator = (typeof ESTIMATORS)[number];

/** The hyperparameters a user gave for `E`, checked: every key optional. */
export type Hyperparameters<E extends Estimator = Estimator> = z.output<(typeof HYPERPARAMETERS)[E]>;

/** Every hyperparameter of `E` with a value: the ones given, and the defaults for the rest. */
export type ResolvedHyperparameters<E extends Estimator = Estimator> = { [K in keyof Hyperparameters<E>]-?: Exclude<Hyperparameters<E>[K], undefined> };

/** The schemas seen through their output types, so that a lookup by a generic estimator keeps its type. */
const SCHEMAS: { [E in Estimator]: z.ZodType<Hyperparameters<E>> } = HYPERPARAMETERS;

const treeDefaults = (task: Task): ResolvedHyperparameters<"decision_tree"> => ({
  max_depth: null,
  min_samples_split: 2,
  min_samples_leaf: 1,
  max_features: null,
  criterion: task === "classification" ? "gini" : "squared_error",
  max_bins: 255,
});

/** scikit-learn's defaults, written once. Some depend on the task (a tree's criterion, a forest's features per split). */
const DEFAULTS: { [E in Estimator]: (task: Task) => ResolvedHyperparameters<E> } = {
  linear_regression: () => ({ l2: 0 }),
  logistic_regression: () => ({ C: 1, max_iter: 1000, tol: 1e-6 }),
  decision_tree: treeDefaults,
  random_forest: (task) => ({ ...treeDefaults(task), max_features: task === "classification" ? "sqrt" : null, n_estimators: 100, bootstrap: true }),
  gradient_boosting: () => ({
    learning_rate: 0.1,
    max_iter: 100,
    max_leaf_nodes: 31,
    max_depth: null,
    min_samples_leaf: 20,
    l2_regularization: 0,
    max_bins: 255,
    early_stopping: "auto",
    validation_fraction: 0.1,
    n_iter_no_change: 10,
  }),
};

/**
 * The hyperparameter names `estimator` takes, in the order a run stores them.
 *
 * @example
 * hyperparameterNames("linear_regression"); // ["l2"]
 */
export function hyperparameterNames(estimator: Estimator): string[] {
  return Object.keys(HYPERPARAMETERS[estimator].shape);
}

/**
 * `given` checked against `estimator`'s hyperparameters: the value a run stores (only the keys
 * given, in the schema's order). An unknown name or a bad value is an INVALID_INPUT naming each
 * one, with the names allowed; `algorithm` is the name the user asked for (xgboost for
 * gradient_boosting), used in the message.
 *
 * @example
 * parseHyperparameters("random_forest", { n_estimators: 10 }); // { n_estimators: 10 }
 * parseHyperparameters("random_forest", { C: 1 }); // throws: Bad hyperparameters for random_forest: unknown 'C'.
 */
export function parseHyperparameters<E extends Estimator>(estimator: E, given: unknown, algorithm: string = estimator): Hyperparameters<E> {
  const r = SCHEMAS[estimator].safeParse(given);
  if (r.success) return r.data;
  const allowed = hyperparameterNames(estimator);
  const problems = r.error.issues.map((i) =>
    i.code === "unrecognized_keys" ? `unknown ${i.keys.map((k) => `'${k}'`).join(", ")}` : `${i.path.join(".") || "(root)"}: ${i.message}`,
  );
  throw new DwError("INVALID_INPUT", `Bad hyperparameters for ${algorithm}: ${problems.join("; ")}.`, {
    hint: `${algorithm} takes: ${allowed.join(", ")}.`,
    details: { field: "hyperparameters", allowed },
  });
}

/**
 * Every hyperparameter of `estimator` for a `task`, with its default (scikit-learn's).
 *
 * @example
 * hyperparameterDefaults("random_forest", "classification").n_estimators; // 100
 */
export function hyperparameterDefaults<E extends Estimator>(estimator: E, task: Task): ResolvedHyperparameters<E> {
  return DEFAULTS[estimator](task);
}

/**
 * The hyperparameters a fit uses: `given` (checked as parseHyperparameters checks it) over the
 * defaults. A key given as undefined takes its default; null is a value (no limit).
 *
 * @example
 * resolvedHyperparameters("gradient_boosting", "regression", { max_iter: 20 }).max_iter; // 20
 * resolvedHyperparameters("random_forest", "regression", {}).n_estimators; // 100
 */
export function resolvedHyperparameters<E extends Estimator>(estimator: E, task: Task, given: Readonly<Record<string, unknown>>): ResolvedHyperparameters<E> {
  return { ...hyperparameterDefaults(estimator, task), ...definedOnly(parseHyperparameters(estimator, given)) };
}

/** A copy of `value` without its keys whose value is undefined (a JavaScript caller may pass `{ max_depth: undefined }`). */
function definedOnly<T extends object>(value: T): T {
  const out = { ...value };
  for (const key in out) if (out[key] === undefined) delete out[key];
  return out;
}
