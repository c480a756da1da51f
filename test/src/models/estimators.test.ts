import assert from "node:assert/strict";
import { test } from "node:test";
import {
  fitEstimator,
  loadEstimator,
  loadEstimatorChecked,
  type Estimator,
  type EstimatorJson,
  type EstimatorShape,
  type Predictor,
  type Task,
} from "../../../src/models/estimators.js";
import { synthetic } from "./datasets.js";

/** Params as JSON.parse gives them, edited freely into hostile ones. */
type Json = Record<string, any>;

const P = 5; // matrix columns of every fitted model below

/** A small fitted model of `estimator` and the shape its model.json would give (5 matrix columns, classes for a classifier). */
function fitted(estimator: Estimator, task: Task, nClasses = 2): { predictor: Predictor; shape: EstimatorShape; X: ReturnType<typeof synthetic>["X"] } {
  const ds = synthetic(300, P, task, 11, nClasses);
  const hp = estimator === "gradient_boosting" ? { max_iter: 4 } : estimator === "random_forest" ? { n_estimators: 3 } : {};
  const predictor = fitEstimator(estimator, task, ds.X, ds.y, task === "classification" ? nClasses : 0, hp, 5);
  return { predictor, shape: task === "classification" ? { features: P, classes: nClasses } : { features: P }, X: ds.X };
}

/** The params as model.json holds them: through JSON text, so nothing is shared with the fit. */
const asRead = (p: Predictor): Json => JSON.parse(JSON.stringify(p.json));

const KINDS: [Estimator, Task, number][] = [
  ["linear_regression", "regression", 0],
  ["logistic_regression", "classification", 2],
  ["logistic_regression", "classification", 3],
  ["decision_tree", "classification", 3],
  ["decision_tree", "regression", 0],
  ["random_forest", "classification", 2],
  ["gradient_boosting", "regression", 0],
  ["gradient_boosting", "classification", 2],
  ["gradient_boosting", "classification", 3],
];

test("valid params of every kind, read back from JSON text, load and predict exactly as the fitted model", () => {
  for (const [estimator, task, nClasses] of KINDS) {
    const { predictor, shape, X } = fitted(estimator, task, nClasses);
    const loaded = loadEstimatorChecked(asRead(predictor), shape);
    const what = `${estimator} ${task} ${nClasses}`;
    assert.deepEqual(loaded.predict(X), predictor.predict(X), what);
    if (task === "classification") assert.deepEqual(loaded.predictProba!(X), predictor.predictProba!(X), what);
    else assert.equal(loaded.predictProba, undefined, what);
    // Saved again, the params are the same text: same keys in the same order, same numbers.
    assert.equal(JSON.stringify(loaded.json), JSON.stringify(predictor.json), what);
  }
});

/**
 * An array of `n` copies of `value` that counts how many of its elements are read: a check that
 * stops at the first bad element reads one or a few, one that walks the array reads them all.
 */
function countingArray(n: number, value: unknown): { array: unknown[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(new Array(n).fill(value), {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { array, reads: () => reads };
}

/** A deep copy of `base` changed by `edit`. */
function hostile(base: Json, edit: (p: Json) => void): Json {
  const p = structuredClone(base);
  edit(p);
  return p;
}

test("hostile params are refused with the field path and what is wrong", () => {
  const linear = asRead(fitted("linear_regression", "regression").predictor);
  const logistic = asRead(fitted("logistic_regression", "classification", 3).predictor);
  const binary = asRead(fitted("logistic_regression", "classification", 2).predictor);
  const tree = asRead(fitted("decision_tree", "classification", 3).predictor);
  const forest = asRead(fitted("random_forest", "regression").predictor);
  const boosting = asRead(fitted("gradient_boosting", "classification", 3).predictor);
  const t0 = tree.model.trees[0];
  const leaf = t0.feature.indexOf(-1);
  const split = t0.feature.findIndex((f: number, i: number) => f >= 0 && i > 0);
  assert.ok(leaf > 0 && split > 0 && t0.feature.length > 5, "a tree with several splits");
  const reg = { features: P };
  const three = { features: P, classes: 3 };
  const huge = 2_000_000;
  const hugeStrings = countingArray(huge, "x");
  const hugeNonTrees = countingArray(huge, 7);

  const cases: { name: string; params: unknown; shape: EstimatorShape; field: string; what: RegExp }[] = [
    { name: "params not an object", params: "x", shape: reg, field: "params", what: /expected object/ },
    { name: "params an array", params: [linear], shape: reg, field: "params", what: /expected object/ },
    { name: "no kind", params: hostile(linear, (p) => delete p.kind), shape: reg, field: "params.kind", what: /discriminator/i },
    { name: "unknown kind", params: hostile(linear, (p) => (p.kind = "svm")), shape: reg, field: "params.kind", what: /linear_regression/ },
    {
      name: "an algorithm name as kind",
      params: hostile(boosting, (p) => (p.kind = "xgboost")),
      shape: three,
      field: "params.kind",
      what: /gradient_boosting/,
    },
    {
      name: "coefficients a string",
      params: hostile(linear, (p) => (p.coefficients = "x")),
      shape: reg,
      field: "params.coefficients",
      what: /^expected an array of numbers$/,
    },
    {
      name: "a NaN-like string",
      params: hostile(linear, (p) => (p.coefficients[3] = "NaN")),
      shape: reg,
      field: "params.coefficients[3]",
      what: /^expected a finite number$/,
    },
    {
      name: "NaN as JSON writes it (null)",
      params: hostile(linear, (p) => (p.coefficients[1] = null)),
      shape: reg,
      field: "params.coefficients[1]",
      what: /^expected a finite number$/,
    },
    {
      name: "1e999 (Infinity once parsed)",
      params: hostile(linear, (p) => (p.intercept = JSON.parse("1e999"))),
      shape: reg,
      field: "params.intercept",
      what: /^expected a finite number$/,
    },
    { name: "missing intercept", params: hostile(linear, (p) => delete p.intercept), shape: reg, field: "params.intercept", what: /finite number/ },
    {
      name: "one coefficient too few for the matrix",
      params: hostile(linear, (p) => p.coefficients.pop()),
      shape: reg,
      field: "params.coefficients",
      what: /expected 5 coefficients, one per matrix column .* got 4/,
    },
    { name: "coefficients for another pipeline", params: linear, shape: { features: 7 }, field: "params.coefficients", what: /expected 7 coefficients/ },
    { name: "a regression where the model has classes", params: linear, shape: three, field: "params.kind", what: /classifier with 3 classes/ },
    {
      name: "a huge array of strings",
      params: hostile(linear, (p) => (p.coefficients = hugeStrings.array)),
      shape: { features: huge },
      field: "params.coefficients[0]",
      what: /^expected a finite number$/,
    },
    {
      name: "a logistic coefficient as text",
      params: hostile(logistic, (p) => (p.model.coefficients[2][4] = "1.5")),
      shape: three,
      field: "params.model.coefficients[2][4]",
      what: /^expected a finite number$/,
    },
    {
      name: "a logistic row too short",
      params: hostile(logistic, (p) => p.model.coefficients[1].pop()),
      shape: three,
      field: "params.model.coefficients[1]",
      what: /expected 5 coefficients, one per feature/,
    },
    {
      name: "one intercept per class missing",
      params: hostile(logistic, (p) => p.model.intercepts.pop()),
      shape: three,
      field: "params.model.intercepts",
      what: /expected 3/,
    },
    {
      name: "class count against coefficient rows",
      params: hostile(binary, (p) => (p.model.nClasses = 3)),
      shape: three,
      field: "params.model.coefficients",
      what: /expected 3 rows, one per class, got 1/,
    },
    {
      name: "class count against the model's classes",
      params: binary,
      shape: three,
      field: "params.model.nClasses",
      what: /expected 3, one per label in classes, got 2/,
    },
    { name: "a classifier where the model has no classes", params: binary, shape: reg, field: "params.kind", what: /classifier, but the model has no classes/ },
    {
      name: "nFeatures against the matrix",
      params: logistic,
      shape: { features: 4, classes: 3 },
      field: "params.model.nFeatures",
      what: /expected 4, one per matrix column .* got 5/,
    },
    {
      name: "a fractional class count",
      params: hostile(logistic, (p) => (p.model.nClasses = 2.5)),
      shape: three,
      field: "params.model.nClasses",
      what: /^expected a whole number$/,
    },
    {
      name: "a negative child index",
      params: hostile(tree, (p) => (p.model.trees[0].left[0] = -5)),
      shape: three,
      field: "params.model.trees[0].left[0]",
      what: /node 0 has a bad feature or child index/,
    },
    {
      name: "a child index past the last node",
      params: hostile(tree, (p) => (p.model.trees[0].right[0] = t0.feature.length)),
      shape: three,
      field: "params.model.trees[0].right[0]",
      what: /node 0 has a bad feature or child index: expected a node after it/,
    },
    {
      name: "a fractional child index",
      params: hostile(tree, (p) => (p.model.trees[0].left[split] = p.model.trees[0].left[split] + 0.5)),
      shape: three,
      field: `params.model.trees[0].left[${split}]`,
      what: new RegExp(`node ${split} has a bad feature or child index`),
    },
    {
      name: "a child pointing back at its node",
      params: hostile(tree, (p) => (p.model.trees[0].right[split] = split)),
      shape: three,
      field: `params.model.trees[0].right[${split}]`,
      what: /expected a node after it/,
    },
    {
      name: "a feature index past the matrix",
      params: hostile(tree, (p) => (p.model.trees[0].feature[0] = P)),
      shape: three,
      field: "params.model.trees[0].feature[0]",
      what: /expected −1 \(a leaf\) or a matrix column 0\.\.4/,
    },
    {
      name: "a leaf with a child",
      params: hostile(tree, (p) => (p.model.trees[0].left[leaf] = 1)),
      shape: three,
      field: `params.model.trees[0].left[${leaf}]`,
      what: /a leaf \(feature −1\) has no children/,
    },
    {
      name: "a node reached twice",
      params: hostile(tree, (p) => (p.model.trees[0].right[0] = p.model.trees[0].left[0])),
      shape: three,
      field: "params.model.trees[0].right[0]",
      what: /node 1 is reached twice/,
    },
    {
      name: "a threshold as text",
      params: hostile(tree, (p) => (p.model.trees[0].threshold[0] = "0.5")),
      shape: three,
      field: "params.model.trees[0].threshold[0]",
      what: /not a finite number/,
    },
    {
      name: "a negative count",
      params: hostile(tree, (p) => (p.model.trees[0].count[leaf] = -1)),
      shape: three,
      field: `params.model.trees[0].count[${leaf}]`,
      what: /count that is not a whole number/,
    },
    {
      name: "values for another class count",
      params: hostile(tree, (p) => p.model.trees[0].value.pop()),
      shape: three,
      field: "params.model.trees[0].value",
      what: /3 per node/,
    },
    {
      name: "arrays of different lengths",
      params: hostile(tree, (p) => p.model.trees[0].gain.push(0)),
      shape: three,
      field: "params.model.trees[0].gain",
      what: /one per node as in feature/,
    },
    {
      name: "a tree of the wrong kind",
      params: hostile(tree, (p) => (p.kind = "random_forest")),
      shape: three,
      field: "params.model.algorithm",
      what: /expected "random_forest"/,
    },
    { name: "a regression tree where the model has classes", params: forest, shape: three, field: "params.model.task", what: /expected "classification"/ },
    { name: "a class tree with another class count", params: tree, shape: { features: P, classes: 4 }, field: "params.model.nClasses", what: /expected 4/ },
    { name: "no trees", params: hostile(forest, (p) => (p.model.trees = [])), shape: reg, field: "params.model.trees", what: /at least one tree/ },
    {
      name: "a huge list of trees that are not trees",
      params: hostile(forest, (p) => (p.model.trees = hugeNonTrees.array)),
      shape: reg,
      field: "params.model.trees[0]",
      what: /expected object/,
    },
    {
      name: "a forest tree missing an array",
      params: hostile(forest, (p) => delete p.model.trees[2].count),
      shape: reg,
      field: "params.model.trees[2].count",
      what: /expected an array of numbers/,
    },
    {
      name: "boosting trees against iterations",
      params: hostile(boosting, (p) => p.model.trees.pop()),
      shape: three,
      field: "params.model.trees",
      what: /expected 12 trees \(3 per iteration × nIter 4\), got 11/,
    },
    {
      name: "boosting baseline per class",
      params: hostile(boosting, (p) => p.model.baseline.pop()),
      shape: three,
      field: "params.model.baseline",
      what: /expected 3 raw score/,
    },
    {
      name: "boosting loss against classes",
      params: hostile(boosting, (p) => (p.model.loss = "log_loss")),
      shape: three,
      field: "params.model.loss",
      what: /expected "log_loss_multiclass"/,
    },
    {
      name: "a boosting tree's feature out of range",
      params: hostile(boosting, (p) => (p.model.trees[5].feature[0] = -2)),
      shape: three,
      field: "params.model.trees[5].feature[0]",
      what: /node 0 has a bad feature/,
    },
  ];
  assert.ok(cases.length >= 15);
  for (const c of cases) {
    assert.throws(
      () => loadEstimatorChecked(c.params, c.shape),
      (e: Error) => {
        assert.ok(e instanceof TypeError, `${c.name}: ${e}`);
        assert.ok(e.message.startsWith(`${c.field}: `), `${c.name}: the message names ${c.field}: ${e.message}`);
        assert.match(e.message.slice(c.field.length + 2), c.what, c.name);
        return true;
      },
      c.name,
    );
  }
  // The first bad element ends the check: of two million bad entries, only the first few are read.
  for (const [what, huge] of [
    ["coefficients", hugeStrings],
    ["trees", hugeNonTrees],
  ] as const)
    assert.ok(huge.reads() <= 10, `${huge.reads()} of the huge array of ${what} were read`);
});

test("loadEstimator, used for fits, checks params alone (not the model's shape) with the same messages", () => {
  const linear = asRead(fitted("linear_regression", "regression").predictor);
  assert.throws(
    () => loadEstimator({ ...linear, coefficients: [1, "x"] } as unknown as EstimatorJson),
    /^TypeError: params\.coefficients\[1\]: expected a finite number$/,
  );
  // A shape mismatch needs the rest of model.json: loadEstimator alone cannot see it.
  const short = { ...linear, coefficients: linear.coefficients.slice(1) };
  assert.doesNotThrow(() => loadEstimator(short as unknown as EstimatorJson));
  assert.throws(() => loadEstimatorChecked(short, { features: P }), /params\.coefficients: expected 5/);
});

test("a linear model asked to predict on another number of columns refuses instead of answering NaN", () => {
  const { predictor } = fitted("linear_regression", "regression");
  assert.throws(() => predictor.predict({ data: new Float64Array(6), rows: 2, cols: 3 }), /fitted on 5 features, got 3/);
});
