import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonDifferences } from "../../../src/reproduce/jsonDifferences.js";
import { modelDifferenceMessage } from "../../../src/reproduce/modelDifferenceMessage.js";
import { environmentChanges, MAX_ENVIRONMENT_CHANGES } from "../../../src/reproduce/environmentChanges.js";
import { parameterDifferences } from "../../../src/reproduce/parameterDifferences.js";

test("jsonDifferences reports the first difference of each part in file order, with the count, and splits the parts asked", () => {
  const a = { format: "x", params: { kind: "random_forest", model: { options: { seed: 1 }, trees: [{ threshold: [1, 2, 3] }, { threshold: [4, 5] }] } }, z: 0 };
  const b = {
    format: "x",
    params: { kind: "random_forest", model: { options: { seed: 2 }, trees: [{ threshold: [1, 2.5, 3.5] }, { threshold: [4, 5, 6] }] } },
    z: -0,
  };
  assert.deepEqual(
    jsonDifferences(a, b).map((d) => [d.part, d.path, d.count]),
    [
      ["params", "params.model.options.seed", 4],
      ["z", "z", 1],
    ],
    "0 and -0 are different JSON text",
  );
  const split = jsonDifferences(a, b, ["params", "params.model"]);
  assert.deepEqual(
    split.map((d) => [d.part, d.path, d.stored, d.rebuilt, d.count]),
    [
      ["params.model.options", "params.model.options.seed", 1, 2, 1],
      ["params.model.trees", "params.model.trees[0].threshold[1]", 2, 2.5, 3],
      ["z", "z", 0, -0, 1],
    ],
  );
  assert.deepEqual(jsonDifferences({ a: [1, 2] }, { a: [1, 2] }), []);
  const missing = jsonDifferences({ a: { b: 1 } }, { a: {}, c: "x" });
  assert.deepEqual(
    missing.map((d) => [d.path, d.stored, d.rebuilt]),
    [
      ["a.b", 1, undefined],
      ["c", undefined, "x"],
    ],
  );
});

test("a model difference is named: tree and node (with the split feature), boosting iteration and class, coefficient and class, pipeline step", () => {
  const names = {
    feature_names: ["wind", "temp_min"],
    classes: ["rain", "sun", "fog"],
    steps: [{ kind: "numeric", column: "wind" }],
    kind: "random_forest",
    nClasses: 0,
  };
  const d = (path: (string | number)[], stored: unknown, rebuilt: unknown, count = 1) => ({
    part: "params.model.trees",
    path: "",
    segments: path,
    stored,
    rebuilt,
    count,
  });
  assert.equal(
    modelDifferenceMessage(d(["params", "model", "trees", 12, "threshold", 4], 3.25, 3.5, 37), names),
    "Tree 12, node 4, threshold: stored 3.25, rebuilt 3.5 (37 values of params.model.trees differ).",
  );
  assert.equal(
    modelDifferenceMessage(d(["params", "model", "trees", 0, "feature", 3], -1, 1), names),
    "Tree 0, node 3, feature: stored a leaf, rebuilt splits on 'temp_min'.",
  );
  assert.equal(
    modelDifferenceMessage(d(["params", "model", "trees", 7, "value", 0], 1, 2), { ...names, kind: "gradient_boosting", nClasses: 3 }),
    "Tree 7 (boosting iteration 2, class 'sun'), node 0, value: stored 1, rebuilt 2.",
  );
  assert.equal(
    modelDifferenceMessage(d(["params", "model", "coefficients", 2, 1], 0.5, 0.25), { ...names, kind: "logistic_regression", nClasses: 3 }),
    "The coefficient of 'temp_min' for class 'fog': stored 0.5, rebuilt 0.25.",
  );
  assert.equal(
    modelDifferenceMessage(d(["params", "model", "coefficients", 0, 0], 0.5, 0.25), {
      ...names,
      classes: ["no", "yes"],
      kind: "logistic_regression",
      nClasses: 2,
    }),
    "The coefficient of 'wind' for class 'yes': stored 0.5, rebuilt 0.25.",
    "a binary model's one row is the second class's log-odds",
  );
  assert.equal(modelDifferenceMessage(d(["params", "coefficients", 0], 1, 2), names), "The coefficient of 'wind': stored 1, rebuilt 2.");
  assert.equal(
    modelDifferenceMessage(d(["preprocessing", "steps", 0, "impute"], 2, 3), names),
    "Pipeline step 0 (a numeric step of column 'wind'): impute: stored 2, rebuilt 3.",
  );
  assert.equal(modelDifferenceMessage(d(["params", "model", "trees", "length"], 10, 9), names), "The number of trees: stored 10, rebuilt 9.");
});

test("environment changes list differing fields by dotted path, bounded", () => {
  const stored = { node: "22.1.0", os: { arch: "x64", platform: "linux" }, dependencies: { zod: "4.0.0", gone: "1.0.0" } };
  const current = { node: "22.3.0", os: { arch: "x64", platform: "linux" }, dependencies: { zod: "4.0.0" }, cpu: { count: 8 } };
  assert.deepEqual(environmentChanges(stored, current), {
    changes: [
      { field: "node", stored: "22.1.0", current: "22.3.0" },
      { field: "dependencies.gone", stored: "1.0.0", current: null },
      { field: "cpu.count", stored: null, current: 8 },
    ],
    more: 0,
  });
  const many = Object.fromEntries(Array.from({ length: MAX_ENVIRONMENT_CHANGES + 5 }, (_, i) => [`k${i}`, i]));
  const r = environmentChanges(many, {});
  assert.equal(r.changes.length, MAX_ENVIRONMENT_CHANGES);
  assert.equal(r.more, 5);
});

test("parameter differences name each edited field once, with every record it disagrees with", () => {
  const params = {
    dataset_id: "w",
    target: "y",
    features: ["a"],
    algorithm: "decision_tree",
    task: "regression",
    hyperparameters: { max_depth: 4 },
    test_size: 0.2,
    seed: 1,
  };
  const run = { ...params, hyperparameters: { max_depth: 3 }, seed: 2 };
  const model = { algorithm: "decision_tree", task: "regression", target: "y", hyperparameters: { max_depth: 3 } };
  assert.deepEqual(
    parameterDifferences(params, run, model).map((d) => [d.path, d.stored, d.rebuilt, d.message]),
    [
      [
        "hyperparameters.max_depth",
        3,
        4,
        "params.json says hyperparameters.max_depth = 4, but run.json and model.json record 3: the commit was edited after training, and the rebuild follows params.json.",
      ],
      ["seed", 2, 1, "params.json says seed = 1, but run.json records 2: the commit was edited after training, and the rebuild follows params.json."],
    ],
  );
  assert.deepEqual(parameterDifferences(params, params, { ...model, hyperparameters: { max_depth: 4 } }), []);
});
