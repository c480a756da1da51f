import assert from "node:assert/strict";
import { test } from "node:test";
import { DwError } from "../../../src/errors/DwError.js";
import { fitEstimator } from "../../../src/models/estimators.js";
import { ModelJson } from "../../../src/models/ModelJson.js";
import { loadModel, scoreModel } from "../../../src/models/scoreModel.js";
import { synthetic } from "./datasets.js";

/** Params as JSON.parse gives them, edited freely into hostile ones. */
type Json = Record<string, any>;

/** A real model.json of a 3-class decision tree on two numeric inputs, through JSON text. */
function treeModelJson(): Json {
  const d = synthetic(90, 2, "classification", 4, 3);
  const predictor = fitEstimator("decision_tree", "classification", d.X, d.y, 3, { max_depth: 3 }, 1);
  const stats = { count: 90, nulls: 0, mean: 0, std: 1, min: -2, max: 2, quantiles: { p05: -1.6, p25: -0.7, p50: 0, p75: 0.7, p95: 1.6 } };
  const model = {
    format: "dw.model/1",
    algorithm: "decision_tree",
    task: "classification",
    target: "y",
    classes: ["a", "b", "c"],
    hyperparameters: { max_depth: 3 },
    signature: {
      inputs: [
        { name: "x0", type: "double" },
        { name: "x1", type: "double" },
      ],
      outputs: [{ name: "y", type: "string" }],
    },
    preprocessing: {
      steps: [
        { kind: "numeric", column: "x0", impute: 0 },
        { kind: "numeric", column: "x1", impute: 0 },
      ],
      feature_names: ["x0", "x1"],
    },
    params: predictor.json,
    training_data: { dataset_id: "d", sha256: "0".repeat(64), rows: 90 },
    reference_stats: { x0: stats, x1: stats },
    created_at: "2026-01-01T00:00:00.000Z",
    run_id: "20260101-000000-abcdef",
  };
  return JSON.parse(JSON.stringify(model));
}

/** A deep copy of `base` changed by `edit`. */
function edited(base: Json, edit: (m: Json) => void): Json {
  const m = structuredClone(base);
  edit(m);
  return m;
}

test("model.json's params are the fitted estimator, typed by kind: a valid one parses to the same value and scores", () => {
  const raw = treeModelJson();
  const parsed = ModelJson.parse(raw);
  assert.equal(parsed.params.kind, "decision_tree");
  // The union narrows on kind: a tree's model is there, with its trees.
  if (parsed.params.kind !== "decision_tree") assert.fail("kind");
  assert.equal(parsed.params.model.algorithm, "decision_tree");
  assert.deepEqual(parsed, raw);
  const loaded = loadModel(JSON.stringify(raw), "model.json");
  assert.deepEqual(loaded.json, parsed);
  assert.equal(JSON.stringify(loaded.json.params), JSON.stringify(raw.params), "the params keep their keys in the order they were written");
  const labels = scoreModel(loaded, { columns: ["x0", "x1"], rows: [[0.5, -1]] });
  assert.ok(["a", "b", "c"].includes(labels[0] as string));
});

test("a wrong kind or a missing field in params is refused with the field named", () => {
  const raw = treeModelJson();
  const cases: [string, (m: Json) => void, string[], RegExp][] = [
    ["a kind dw does not fit", (m) => (m.params.kind = "svm"), ["params", "kind"], /./],
    ["no kind", (m) => delete m.params.kind, ["params", "kind"], /./],
    ["no model", (m) => delete m.params.model, ["params", "model"], /object/],
    ["a tree kind whose model is of another kind", (m) => (m.params.kind = "random_forest"), ["params", "model", "algorithm"], /expected "random_forest"/],
    ["the kind of another estimator's params", (m) => (m.params.kind = "linear_regression"), ["params", "intercept"], /finite number/],
    ["no trees", (m) => delete m.params.model.trees, ["params", "model", "trees"], /array/],
  ];
  for (const [what, spoil, path, message] of cases) {
    const r = ModelJson.safeParse(edited(raw, spoil));
    assert.equal(r.success, false, what);
    const issue = r.error!.issues[0];
    assert.deepEqual(issue.path, path, `${what}: ${JSON.stringify(issue)}`);
    assert.match(issue.message, message, what);
  }
});

test("loadModel names the field: of the model, or of its fitted parameters", () => {
  const raw = treeModelJson();
  const load = (m: Json) => () => loadModel(JSON.stringify(m), "m v1 model.json");
  const refused = (pattern: RegExp) => (e: unknown) => e instanceof DwError && e.code === "DATA_ERROR" && pattern.test(e.message);
  assert.throws(load(edited(raw, (m) => (m.params.kind = "svm"))), refused(/^m v1 model\.json is not a valid dw\.model\/1 model: params\.kind: /));
  assert.throws(load(edited(raw, (m) => delete m.target)), refused(/^m v1 model\.json is not a valid dw\.model\/1 model: target: /));
  assert.throws(
    load(edited(raw, (m) => (m.params.kind = "random_forest"))),
    refused(/the algorithm decision_tree is not fitted as params\.kind random_forest/),
  );
  assert.throws(load(edited(raw, (m) => delete m.params.model.trees)), refused(/fitted parameters cannot be loaded \(params\.model\.trees: /));
  assert.throws(
    load(edited(raw, (m) => m.classes.pop())),
    refused(/fitted parameters cannot be loaded \(params\.model\.nClasses: expected 2, one per label in classes, got 3/),
  );
});
