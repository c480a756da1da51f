// A model.json is data (issue 13): real models of every algorithm, trained by train_model on real
// data, are turned into hostile files, each of which loadModel must refuse quickly with a
// DATA_ERROR naming the field (never a RangeError, a TypeError, a hang or a polluted prototype),
// while the untouched file still loads and predicts as before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, openWorkspace, runTool, DwError } from "../../../src/index.js";
import { loadModel, scoreModel, type LoadedModel } from "../../../src/models/scoreModel.js";
import { MODEL_JSON_LIMITS } from "../../../src/models/modelJsonLimits.js";
import { modelJsonText } from "../../../src/models/modelJsonText.js";
import { treesIssue, type TreeJson } from "../../../src/models/treeModel.js";
import { fieldPath } from "../../../src/workspace/parseDocument.js";
import { ok } from "../../helpers/results.js";

/** model.json as JSON.parse gives it, edited freely into hostile ones. */
type Json = Record<string, any>;

let tw: TempWorkspace;
/** Each trained model's model.json text, by a name saying what it is. */
const texts = new Map<string, string>();

/** What train_model is asked for each model: every estimator, both tasks, every pipeline step kind. */
const TRAINED: [name: string, input: Record<string, unknown>][] = [
  ["linear", { target: "temp_max", features: ["precipitation", "temp_min", "wind", "weather", "date"], algorithm: "linear_regression" }],
  ["logistic", { target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"], algorithm: "logistic_regression" }],
  ["tree", { target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"], algorithm: "decision_tree", hyperparameters: { max_depth: 5 } }],
  [
    "forest",
    {
      target: "temp_max",
      features: ["precipitation", "temp_min", "wind", "weather"],
      algorithm: "random_forest",
      hyperparameters: { n_estimators: 3, max_depth: 6 },
    },
  ],
  [
    "boosting",
    { target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"], algorithm: "gradient_boosting", hyperparameters: { max_iter: 1 } },
  ],
  ["xgboost", { target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "xgboost", hyperparameters: { max_iter: 3 } }],
  ["pipeline", { target: "temp_max", pipeline: "hostile-steps", algorithm: "linear_regression" }],
];

/** Rows of seattle-weather as a request carries them, every column the models read. */
const ROWS = {
  columns: ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"],
  rows: [
    ["2012-01-01", 0.0, 12.8, 5.0, 4.7, "drizzle"],
    ["2012-06-03", 10.9, 20.6, 12.8, 4.5, "rain"],
    ["2013-03-04", null, 11.7, 7.2, 2.3, "sun"],
    ["2014-12-25", 0.8, 5.2, null, 7.1, "snow"],
    ["2015-08-14", 0.0, 30.1, 16.4, 3.0, null],
  ],
};

before(async () => {
  tw = await makeTempWorkspace("dw-hostile-model-");
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  ok(
    await runTool(
      "create_feature_pipeline",
      {
        name: "hostile-steps",
        dataset_id: "weather",
        features: ["precipitation", "temp_min", "wind", "weather", "date"],
        steps: [
          { column: "weather", transform: "ordinal" },
          { column: "weather", transform: "impute_mode" },
          { column: "wind", transform: "log1p" },
          { column: "precipitation", transform: "standardize" },
          { column: "temp_min*wind", transform: "interaction", inputs: ["temp_min", "wind"] },
        ],
      },
      ctx,
    ),
  );
  const ws = await openWorkspace(tw.dir);
  for (const [name, input] of TRAINED) {
    const run = ok(await runTool("train_model", { dataset_id: "weather", ...input }, ctx));
    const text = await ws.readText((await ws.readRef(`refs/dw/runs/${run.run_id}`))!, "model.json");
    texts.set(name, text!);
  }
});
after(async () => tw.cleanup());

/** A trained model.json, parsed. */
const model = (name: string): Json => JSON.parse(texts.get(name)!);

/** Predictions of a loaded model on ROWS. */
const predictions = (m: LoadedModel) => scoreModel(m, ROWS);

/**
 * Loads `text` and expects a DATA_ERROR whose message names `field` (a path from the model's root,
 * as the messages write it) when one is given. Returns the message.
 */
function refused(text: string, what: string, field?: string): string {
  let loaded: LoadedModel;
  try {
    loaded = loadModel(text, "m v1 model.json");
  } catch (e) {
    assert.ok(e instanceof DwError, `${what}: expected a DwError, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
    assert.equal(e.code, "DATA_ERROR", what);
    assert.match(e.message, /^m v1 model\.json/, what);
    if (field !== undefined) assert.ok(e.message.includes(field), `${what}: the message should name ${field}: ${e.message}`);
    return e.message;
  }
  assert.fail(`${what}: loaded (${loaded.json.algorithm}), expected a DATA_ERROR`);
}

/** `base` changed by `edit`, as text. */
function edited(base: Json, edit: (m: Json) => void): string {
  const m = structuredClone(base);
  edit(m);
  return JSON.stringify(m);
}

test("every trained model loads from its text and predicts, and loads the same from its text written again", () => {
  assert.equal(texts.size, TRAINED.length);
  for (const [name, text] of texts) {
    const first = predictions(loadModel(text, name));
    assert.equal(first.length, ROWS.rows.length, name);
    const again = loadModel(modelJsonText(JSON.parse(text)), name);
    assert.deepEqual(predictions(again), first, name);
  }
  const kinds = new Set([...texts.values()].flatMap((t) => (JSON.parse(t).preprocessing.steps as { kind: string }[]).map((s) => s.kind)));
  assert.deepEqual(
    [...kinds].sort(),
    ["date", "interaction", "numeric", "onehot", "ordinal"],
    "the models cover every step kind but boolean (seattle-weather has none)",
  );
});

/** Where a tree model keeps its trees, and how many values a node holds. */
function treesOf(m: Json): Json[] {
  return m.params.model.trees;
}

/** An internal node of a tree (a split), after the root: the one a cycle is made from. */
function innerSplit(t: Json): number {
  const i = t.feature.findIndex((f: number, k: number) => k > 0 && f >= 0);
  assert.ok(i > 0, "the tree has a split below its root");
  return i;
}

test("a tree whose children make a cycle, share a node, or point outside the tree is refused, naming the node's field", () => {
  for (const name of ["tree", "forest", "boosting", "xgboost"]) {
    const m = model(name);
    const t = treesOf(m)[0];
    const i = innerSplit(t);
    const n = t.feature.length;
    const tree = (field: string, k: number) => `params.model.trees[0].${field}[${k}]`;
    const cases: [string, (m: Json) => void, string][] = [
      ["a child that is its own parent (a loop)", (x) => (treesOf(x)[0].left[i] = i), tree("left", i)],
      ["a child that is the root (a cycle)", (x) => (treesOf(x)[0].right[i] = 0), tree("right", i)],
      ["a child before its parent", (x) => (treesOf(x)[0].left[i] = i - 1), tree("left", i)],
      ["a child past the last node", (x) => (treesOf(x)[0].right[0] = n), tree("right", 0)],
      ["a child index of 2^53", (x) => (treesOf(x)[0].left[0] = 2 ** 53), tree("left", 0)],
      ["a negative child index", (x) => (treesOf(x)[0].left[0] = -2), tree("left", 0)],
      ["a fractional child index", (x) => (treesOf(x)[0].left[0] = 1.5), tree("left", 0)],
      ["two splits naming one child", (x) => (treesOf(x)[0].left[i] = treesOf(x)[0].left[0]), "params.model.trees[0]"],
      ["a feature index past the matrix", (x) => (treesOf(x)[0].feature[0] = x.params.model.nFeatures), tree("feature", 0)],
      ["a feature index below −1", (x) => (treesOf(x)[0].feature[0] = -7), tree("feature", 0)],
      ["a leaf with a child", (x) => (treesOf(x)[0].right[n - 1] = n - 1), tree("right", n - 1)],
      ["a count that is not whole", (x) => (treesOf(x)[0].count[0] = 0.5), tree("count", 0)],
      ["a node array shorter than feature", (x) => treesOf(x)[0].threshold.pop(), "params.model.trees[0].threshold"],
      ["a value array one short", (x) => treesOf(x)[0].value.pop(), "params.model.trees[0].value"],
      [
        "a tree without nodes",
        (x) => (treesOf(x)[0] = { feature: [], threshold: [], left: [], right: [], value: [], gain: [], count: [] }),
        "params.model.trees[0].feature",
      ],
      ["a threshold that is text", (x) => (treesOf(x)[0].threshold[0] = "1"), tree("threshold", 0)],
      ["a node array that is an object", (x) => (treesOf(x)[0].gain = { length: n }), "params.model.trees[0].gain"],
    ];
    for (const [what, spoil, field] of cases) refused(edited(m, spoil), `${name}: ${what}`, field);
  }
});

test("numbers too large for a double (1e999 parses as Infinity) are refused wherever they stand", () => {
  // Written into the text, as JSON.stringify cannot write them: each marker is a number in one field.
  const MARK = 123456.25;
  const infinite = (base: Json, edit: (m: Json, mark: number) => void, field: string, what: string) => {
    for (const big of ["1e999", "-1e999", "1E+400"]) {
      const text = edited(base, (m) => edit(m, MARK)).replace(String(MARK), big);
      assert.ok(text.includes(big), what);
      refused(text, `${what} = ${big}`, field);
    }
  };
  const linear = model("linear");
  infinite(linear, (m, x) => (m.params.intercept = x), "params.intercept", "linear intercept");
  infinite(linear, (m, x) => (m.params.coefficients[2] = x), "params.coefficients[2]", "linear coefficient");
  infinite(linear, (m, x) => (m.preprocessing.steps[0].impute = x), "preprocessing.steps[0].impute", "numeric impute");
  infinite(linear, (m, x) => (m.reference_stats.wind.mean = x), "reference_stats.wind.mean", "reference statistic");
  const logistic = model("logistic");
  infinite(logistic, (m, x) => (m.params.model.coefficients[1][0] = x), "params.model.coefficients[1][0]", "logistic coefficient");
  infinite(logistic, (m, x) => (m.params.model.intercepts[0] = x), "params.model.intercepts[0]", "logistic intercept");
  infinite(logistic, (m, x) => (m.preprocessing.steps[0].scale.std = x), "preprocessing.steps[0].scale.std", "a scale");
  for (const name of ["tree", "forest", "boosting"]) {
    const m = model(name);
    infinite(m, (x, v) => (treesOf(x)[0].threshold[0] = v), "params.model.trees[0].threshold[0]", `${name} threshold`);
    const leaf = treesOf(m)[0].feature.indexOf(-1);
    infinite(
      m,
      (x, v) => (treesOf(x)[0].value[leaf * (treesOf(x)[0].value.length / treesOf(x)[0].feature.length)] = v),
      "params.model.trees[0].value",
      `${name} leaf value`,
    );
  }
  infinite(model("boosting"), (m, x) => (m.params.model.baseline[0] = x), "params.model.baseline[0]", "boosting baseline");
  const pipeline = model("pipeline");
  const inter = pipeline.preprocessing.steps.findIndex((s: Json) => s.kind === "interaction");
  infinite(pipeline, (m, x) => (m.preprocessing.steps[inter].impute[1] = x), `preprocessing.steps[${inter}].impute[1]`, "interaction impute");
});

test("counts the file claims are checked against the data present, and nothing is allocated from them", () => {
  const claims: [string, (m: Json) => void, string][] = [
    ["tree", (m) => (m.params.model.nFeatures = 1e12), "params.model.nFeatures"],
    ["tree", (m) => (m.params.model.nClasses = 1e9), "params.model"],
    ["tree", (m) => (m.params.model.n_nodes = 1e12), ""], // an unknown field: ignored, so the model loads (below)
    ["forest", (m) => (m.params.model.options.nEstimators = 1e15), ""],
    ["boosting", (m) => (m.params.model.nIter = 1e15), "params.model.trees"],
    ["boosting", (m) => (m.params.model.nClasses = 2 ** 31), "params.model"],
    ["logistic", (m) => (m.params.model.nClasses = 1e12), "params.model"],
    ["logistic", (m) => (m.params.model.nFeatures = 2 ** 40), "params.model.coefficients"],
    ["linear", (m) => (m.training_data.rows = 1e300), "training_data.rows"],
  ];
  for (const [name, spoil, field] of claims) {
    const text = edited(model(name), spoil);
    if (field === "") assert.deepEqual(predictions(loadModel(text, name)), predictions(loadModel(texts.get(name)!, name)), `${name}: a claim nothing reads`);
    else refused(text, `${name}: a huge count at ${field}`, field);
  }
});

test("sizes over the limits are refused: classes, categories, matrix columns, trees, nodes, strings, nesting", () => {
  const L = MODEL_JSON_LIMITS;
  const logistic = model("logistic");
  refused(
    edited(logistic, (m) => (m.classes = Array.from({ length: L.maxClasses + 1 }, (_, k) => `c${k}`))),
    "more classes than a model may have",
    "classes",
  );
  const linear = model("linear");
  const onehot = linear.preprocessing.steps.findIndex((s: Json) => s.kind === "onehot");
  refused(
    edited(linear, (m) => {
      const step = m.preprocessing.steps[onehot];
      step.categories = Array.from({ length: L.maxOneHotCategories + 1 }, (_, k) => `k${k}`);
    }),
    "a one-hot step with more categories than fitPipeline keeps",
    `preprocessing.steps[${onehot}].categories`,
  );
  refused(
    edited(linear, (m) => (m.preprocessing.feature_names = Array.from({ length: L.maxFeatures + 1 }, (_, k) => `f${k}`))),
    "more matrix columns than a model may have",
    "preprocessing.feature_names",
  );
  // A list of 2^20 + 1 trees, or a tree of 2^25 + 1 nodes, is refused by its length before any
  // element is read (here the arrays are sparse, so the test allocates nothing either).
  const forest = model("forest");
  const nFeatures = forest.params.model.nFeatures;
  assert.deepEqual(treesIssue(new Array(L.maxTrees + 1), nFeatures, 1), { path: [], message: `more than ${L.maxTrees} trees` });
  const huge = new Array<number>(L.maxNodesPerTree + 1);
  const tree = { feature: huge, threshold: huge, left: huge, right: huge, value: huge, gain: huge, count: huge };
  assert.deepEqual(treesIssue([treesOf(forest)[0] as TreeJson, tree], nFeatures, 1), { path: [1, "feature"], message: `more than ${L.maxNodesPerTree} nodes` });
  const giant = "x".repeat(L.maxStringChars + 1);
  refused(
    edited(linear, (m) => (m.target = giant)),
    "a giant target name",
    "a string longer than 65536 characters starts at line 1",
  );
  refused(
    edited(linear, (m) => (m.preprocessing.steps[0].column = giant)),
    "a giant column name",
    "a string longer than",
  );
  refused(
    edited(linear, (m) => (m.hyperparameters = { note: giant })),
    "a giant string nothing reads",
    "a string longer than",
  );
});

test("deep nesting is refused before JSON.parse, wherever it is, and a million brackets cost one pass", () => {
  const linear = texts.get("linear")!;
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  refused(deep(1_000_000), "a million nested arrays as the whole file", "nest deeper than 32 levels at line 1, column 33");
  refused(linear.replace('"hyperparameters": {}', `"hyperparameters": {"x": ${deep(1_000_000)}}`), "a million nested arrays in hyperparameters", "nest deeper");
  refused(
    linear.replace('"hyperparameters": {}', `"hyperparameters": {"x": ${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`),
    "nested objects in hyperparameters",
    "nest deeper",
  );
  refused(linear.replace('"format"', `"unknown": ${deep(40)}, "format"`), "nesting under a key nothing reads", "nest deeper");
  // Brackets inside strings are text, not nesting: a category of 40 brackets is a category.
  const m = model("linear");
  const onehot = m.preprocessing.steps.findIndex((s: Json) => s.kind === "onehot");
  const text = edited(m, (x) => (x.target = `${"[".repeat(40)}\\"{`));
  refused(text, "a target that is not the signature's output", "signature.outputs");
  assert.ok(onehot >= 0);
});

test("__proto__ and constructor keys anywhere pollute no prototype, and the model loads and predicts as before", () => {
  const name = "forest";
  const base = texts.get(name)!;
  const expected = predictions(loadModel(base, name));
  const proto = '"__proto__": {"polluted": "yes", "kind": "linear_regression"}';
  const ctor = '"constructor": {"prototype": {"polluted": "yes"}}';
  // In the two records (whose keys are data) a constructor key is an entry like any other: a
  // hyperparameter as given, a column's statistics (which must then be statistics).
  const stats = JSON.stringify(model(name).reference_stats.wind);
  const places: [string, string][] = [
    ["{", `${proto}, ${ctor}`],
    ['"hyperparameters": {', `${proto}, ${ctor}`],
    ['"params": {', `${proto}, ${ctor}`],
    ['"model": {', `${proto}, ${ctor}`],
    ['"options": {', `${proto}, ${ctor}`],
    ['"signature": {', `${proto}, ${ctor}`],
    ['"quantiles": {', `${proto}, ${ctor}`],
    ['"reference_stats": {', `${proto}, "constructor": ${stats}, "toString": ${stats}`],
  ];
  for (const [place, payload] of places) {
    assert.ok(base.includes(place), place);
    const text = base.replace(place, `${place}${payload}, `);
    const loaded = loadModel(text, name);
    assert.deepEqual(predictions(loaded), expected, place);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, place);
    assert.equal(Object.getPrototypeOf(loaded.json), Object.prototype, place);
    for (const inner of [loaded.json, loaded.json.hyperparameters, loaded.json.params, loaded.json.reference_stats, loaded.json.signature]) {
      assert.equal(Object.getPrototypeOf(inner), Object.prototype, place);
      assert.equal((inner as Record<string, unknown>).polluted, undefined, place);
      assert.equal(Object.hasOwn(inner, "__proto__"), false, place);
    }
  }
  // In a tree's node arrays' place, a __proto__ key holding arrays is no array.
  refused(base.replace('"feature": [', '"feature": {"__proto__": [], "length": 1}, "x": ['), "an object posing as an array", "feature");
});

test("the pipeline must fit the signature and the estimator: names, widths, imputation and scale", () => {
  const linear = model("linear");
  const steps = linear.preprocessing.steps as Json[];
  const date = steps.findIndex((s) => s.kind === "date");
  const onehot = steps.findIndex((s) => s.kind === "onehot");
  const at = (s: number, field: string) => `preprocessing.steps[${s}].${field}`;
  const cases: [string, (m: Json) => void, string][] = [
    ["a feature name that is not the step's column", (m) => (m.preprocessing.feature_names[0] = "other"), "preprocessing.feature_names[0]"],
    ["a feature name too many", (m) => m.preprocessing.feature_names.push("extra"), "preprocessing.feature_names"],
    ["a step whose columns are not named", (m) => m.preprocessing.feature_names.pop(), "preprocessing.feature_names"],
    ["a date step producing more columns than it imputes", (m) => m.preprocessing.steps[date].impute.pop(), at(date, "impute")],
    ["a date part twice", (m) => (m.preprocessing.steps[date].parts[1] = m.preprocessing.steps[date].parts[0]), at(date, "parts")],
    ["date parts in another order (the year would land under month)", (m) => m.preprocessing.steps[date].parts.reverse(), at(date, "parts")],
    [
      "one date part where the transform writes five",
      (m) => {
        m.preprocessing.steps[date].parts = ["month"];
        m.preprocessing.steps[date].impute = [6];
      },
      at(date, "parts"),
    ],
    [
      "a one-hot category twice",
      (m) => (m.preprocessing.steps[onehot].categories[1] = m.preprocessing.steps[onehot].categories[0]),
      at(onehot, "categories[1]"),
    ],
    ["a standard deviation of 0", (m) => (m.preprocessing.steps[0].scale = { mean: 0, std: 0 }), at(0, "scale.std")],
    ["a negative standard deviation", (m) => (m.preprocessing.steps[0].scale = { mean: 0, std: -1 }), at(0, "scale.std")],
    ["a signature without an input the steps read", (m) => m.signature.inputs.pop(), "signature.inputs"],
    ["a signature input of another type", (m) => (m.signature.inputs[0].type = "string"), "signature.inputs[0]"],
    ["a signature input the steps do not read", (m) => (m.signature.inputs[0].name = "ghost"), "signature.inputs[0]"],
    ["two outputs", (m) => m.signature.outputs.push(m.signature.outputs[0]), "signature.outputs"],
    ["classes on a regression", (m) => (m.classes = ["a", "b"]), "classes"],
    ["a step of an unknown kind", (m) => (m.preprocessing.steps[0].kind = "eval"), "preprocessing.steps[0].kind"],
  ];
  for (const [what, spoil, field] of cases) refused(edited(linear, spoil), what, field);
  const pipeline = model("pipeline");
  const ordinal = (pipeline.preprocessing.steps as Json[]).findIndex((s) => s.kind === "ordinal");
  const inter = (pipeline.preprocessing.steps as Json[]).findIndex((s) => s.kind === "interaction");
  refused(
    edited(pipeline, (m) => (m.preprocessing.steps[ordinal].impute = "never seen")),
    "an imputed category that is no category",
    at(ordinal, "impute"),
  );
  refused(
    edited(pipeline, (m) => (m.preprocessing.steps[inter].inputs[1] = "ghost")),
    "an interaction of a column the signature lacks",
    "signature.inputs",
  );
  refused(
    edited(pipeline, (m) => (m.preprocessing.steps[inter].scale = { mean: 1, std: 0 })),
    "an interaction scaled by 0",
    at(inter, "scale.std"),
  );
  const logistic = model("logistic");
  refused(
    edited(logistic, (m) => (m.classes[1] = m.classes[0])),
    "a class label twice",
    "classes[1]",
  );
  refused(
    edited(logistic, (m) => delete m.classes),
    "a classifier without classes",
    "classes",
  );
});

/** Every path into `v` (objects' keys; an array's first and last index only, so the walk stays small), with the value there. */
function* paths(v: unknown, path: (string | number)[] = []): Generator<[(string | number)[], unknown]> {
  yield [path, v];
  if (Array.isArray(v)) {
    for (const i of new Set([0, v.length - 1])) if (i >= 0) yield* paths(v[i], [...path, i]);
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) yield* paths(x, [...path, k]);
  }
}

/** A value of another JSON type than `v`. */
function otherType(v: unknown): unknown {
  if (typeof v === "number") return "1";
  if (typeof v === "string") return 1;
  if (typeof v === "boolean") return "true";
  if (v === null) return 0;
  return Array.isArray(v) ? {} : [];
}

/**
 * Fields whose value may take another type and still be a model: what the user gave as
 * hyperparameters (kept as given), a class label (text, number or boolean), the record of a fit
 * that prediction never reads, and options that may be null.
 */
const LOOSE = [/^hyperparameters\./, /^classes\[/, /validationLoss\[/, /options\.(maxDepth|maxLeafNodes|maxFeatures|earlyStopping)$/];

test("a value of the wrong type at any level of any model is refused, naming its field or one that holds it", () => {
  let refusedCount = 0;
  for (const [name] of TRAINED) {
    const base = model(name);
    const expected = predictions(loadModel(texts.get(name)!, name));
    for (const [path, value] of paths(base)) {
      if (path.length === 0) continue;
      const spoilt = structuredClone(base);
      let parent: Json = spoilt;
      for (const k of path.slice(0, -1)) parent = parent[k];
      parent[path[path.length - 1]] = otherType(value);
      const field = fieldPath("", path);
      const text = JSON.stringify(spoilt);
      let loaded: LoadedModel | undefined;
      try {
        loaded = loadModel(text, "m v1 model.json");
      } catch (e) {
        if (!(e instanceof DwError) || e.code !== "DATA_ERROR")
          assert.fail(`${name} ${field}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
        // Named: the field itself, or one holding it (a tree's arrays are checked as a tree; a step by its kind).
        const { message } = e;
        const named = path.some((_, k) => k >= Math.min(3, path.length) && message.includes(fieldPath("", path.slice(0, k))));
        assert.ok(named || message.includes(field), `${name} ${field}: ${message}`);
        refusedCount++;
        continue;
      }
      assert.ok(
        LOOSE.some((r) => r.test(field)),
        `${name} ${field}: loaded with a value of another type`,
      );
      if (!field.startsWith("classes")) assert.deepEqual(predictions(loaded), expected, `${name} ${field}`);
    }
  }
  assert.ok(refusedCount > 300, `refused ${refusedCount}`);
});
