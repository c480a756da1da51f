import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFile, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../../src/index.js";
import { loadModel, scoreModel } from "../../../../src/models/scoreModel.js";
import { transform } from "../../../../src/models/preprocessing.js";
import { exportOnnx } from "../../../../src/platforms/onnx/exportOnnx.js";
import { DwError } from "../../../../src/errors/DwError.js";
import { ok } from "../../../helpers/results.js";
import { scoreWithOnnxRuntime } from "./onnxRuntime.js";

/*
 * Issue 15: a registered model exported as ONNX scores raw rows in the real onnxruntime (from
 * .venv-bench) as dw scores them, to 1e-6: every row of vega's cars (missing horsepower and miles
 * per gallon among them) and rows with every input missing, unseen categories and unseen numbers.
 */

let tw: TempWorkspace;
let ctx: ToolContext;
type Car = Record<string, string | number | boolean | null>;
let cars: Car[];

before(async () => {
  tw = await makeTempWorkspace("dw-onnx-");
  await copyFile(join(repoRoot, "node_modules", "vega-datasets", "data", "cars.json"), join(tw.dir, "data", "cars.json"));
  const raw: Car[] = JSON.parse(await readFile(join(tw.dir, "data", "cars.json"), "utf8"));
  // Labels of three types (booleans, numbers, text) and a boolean feature with missing values.
  const codes: Record<string, number> = { USA: 1, Europe: 2, Japan: 3 };
  // A date spread over 1896..2021 (leap days, 1900, 2000, before 1970), some missing; and a
  // column named as a graph output.
  const day = 86_400_000;
  cars = raw.map((c, i) => ({
    ...c,
    sold: i % 23 === 7 ? null : new Date(Date.UTC(1896, 1, 27) + i * 113 * day).toISOString().slice(0, 10),
    prediction: (c.Acceleration as number) * 2,
    heavy: i % 17 === 5 ? null : (c.Weight_in_lbs as number) > 3500,
    efficient: c.Miles_per_Gallon === null ? null : (c.Miles_per_Gallon as number) > 25,
    origin_code: codes[c.Origin as string],
  }));
  await writeFile(join(tw.dir, "data", "cars.json"), JSON.stringify(cars));
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/cars.json", dataset_id: "cars" }, ctx));
});
after(async () => tw.cleanup());

const modelText = (name: string, version: number) =>
  execFileSync("git", ["show", `refs/dw/models/${name}/${version}:model.json`], { cwd: tw.dir, encoding: "utf8", maxBuffer: 1 << 28 });

/** Trains on cars and registers the run as `name` (version 1) at `alias`: through the deploy gate, as an export asks. */
async function trainAndRegister(name: string, train: Record<string, unknown>, alias = "staging"): Promise<void> {
  const run = ok(await runTool("train_model", { dataset_id: "cars", ...train }, ctx));
  ok(await runTool("register_model", { model_id: run.run_id, model_name: name, alias }, ctx));
}

/** Every car, then rows that test imputation and unseen values. */
function scoringRows(): Car[] {
  const blank: Car = Object.fromEntries(Object.keys(cars[0]).map((k) => [k, null]));
  return [
    ...cars,
    blank,
    { ...cars[3], Origin: "Atlantis", Name: "never seen" },
    { ...cars[10], Cylinders: 7, Horsepower: null, Weight_in_lbs: 99999 },
    { ...cars[20], Origin: null, Name: null, Displacement: null, heavy: null },
    { ...cars[30], heavy: true, Acceleration: null },
    ...["1900-03-01", "2000-02-29", "1969-12-31T23:59:59.999Z", "2016-12-31", "2024-03-01T05:00:00+09:00", "1600-01-01", "2400-12-31", "1970-01-01"].map(
      (sold, i) => ({ ...cars[40 + i], sold }),
    ),
  ];
}

/**
 * Exports `modelId`, scores `rows` in onnxruntime and in dw, and checks they agree to 1e-6:
 * predictions (or labels and probabilities). Returns the export and the largest difference.
 */
async function exportAndCompare(
  modelId: string,
  version: number,
  rows: Car[] = scoringRows(),
): Promise<{ maxDiff: number; ties: number; out: Awaited<ReturnType<typeof exportOnnx>> }> {
  const [name] = modelId.split(/[@/]/);
  const path = join(tw.dir, "exports", `${modelId.replace(/[@/]/g, "_")}.onnx`);
  const out = await exportOnnx(ctx, { modelId, path });
  assert.equal(out.path, path);
  assert.equal(out.bytes, (await stat(path)).size);
  assert.equal(out.model_name, name);
  assert.equal(out.version, version);
  const model = loadModel(modelText(name, version), "model.json");
  const columns = model.json.signature.inputs.map((f) => f.name);
  assert.deepEqual(
    out.inputs.map((i) => i.name),
    columns,
  );
  // As a caller feeds the graph: text for a string input (a JSON true is "true", 3 is "3", as dw
  // reads a category), numbers for the others (a boolean as 1 or 0); null is missing. A date goes
  // as its text: scoreOnnx.py turns it into milliseconds since 1970 UTC as docs/onnx.md shows.
  const types = new Map(model.json.signature.inputs.map((f) => [f.name, f.type]));
  const asInput = (v: Car[string], type: string) =>
    v === null || v === undefined ? null : type === "string" ? String(v) : typeof v === "boolean" ? Number(v) : v;
  const byColumn = Object.fromEntries(out.inputs.map((f) => [f.name, rows.map((r) => asInput(r[f.name], types.get(f.name)!))]));
  const ort = await scoreWithOnnxRuntime(path, byColumn);
  assert.deepEqual(
    ort.inputs.map((i) => [i.name, i.type]),
    out.inputs.map((i) => [i.name, `tensor(${i.type})`]),
  );
  assert.equal(ort.metadata["dw.model_name"], name);
  assert.equal(ort.metadata["dw.version"], String(version));
  assert.deepEqual(JSON.parse(ort.metadata["dw.inputs"]), model.json.signature.inputs);
  assert.equal(ort.producer, "dw");
  const dw = scoreModel(model, { columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) });
  let maxDiff = 0;
  /** Rows whose two most probable classes dw finds within 1e-12 of each other: the label is decided by the last bits. */
  let ties = 0;
  const close = (a: number, b: number, what: string) => {
    const d = Math.abs(a - b);
    maxDiff = Math.max(maxDiff, d);
    assert.ok(d <= 1e-6, `${modelId} ${what}: onnxruntime ${a}, dw ${b}`);
  };
  if (model.json.task === "regression") {
    assert.deepEqual(
      out.outputs.map((o) => o.name),
      ["prediction"],
    );
    assert.equal(ort.dtypes.prediction, "float64");
    ort.values.prediction.forEach((y, i) => close(y, dw[i] as number, `row ${i}`));
  } else {
    assert.deepEqual(
      out.outputs.map((o) => o.name),
      ["label", "probabilities"],
    );
    assert.deepEqual(ort.values.label, dw, `${modelId}: labels`);
    const X = transform(model.json.preprocessing, rows.length, (c) => (i) => rows[i][c] ?? null);
    const proba = model.predictor.predictProba!(X);
    const K = model.json.classes!.length;
    ort.values.probabilities.forEach((p: number[], i: number) => {
      assert.equal(p.length, K);
      p.forEach((v, k) => close(v, proba[i * K + k], `row ${i} class ${k}`));
      const sorted = Array.from(proba.subarray(i * K, i * K + K)).sort((a, b) => b - a);
      if (sorted[0] - sorted[1] <= 1e-12) ties++;
    });
  }
  return { maxDiff, ties, out };
}

test("a linear regression on numbers and text, with missing and unseen values, scores in onnxruntime as in dw", async (t) => {
  await trainAndRegister(
    "mpg-linear",
    {
      target: "Miles_per_Gallon",
      features: ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "Origin", "Name"],
      algorithm: "linear_regression",
    },
    "champion",
  );
  const { out, maxDiff } = await exportAndCompare("mpg-linear@champion", 1);
  t.diagnostic(`mpg-linear: largest difference from dw ${maxDiff}`);
  assert.deepEqual(out.outputs, [{ name: "prediction", type: "double" }]);
  assert.equal(out.inputs.find((i) => i.name === "Origin")?.type, "string");
  assert.equal(out.inputs.find((i) => i.name === "Horsepower")?.type, "double");
  await exportAndCompare("mpg-linear/1", 1);
});

test("date parts (year, month, day, weekday, day of year) are computed from the date's milliseconds as dw computes them", async (t) => {
  await trainAndRegister("mpg-dated", { target: "Miles_per_Gallon", features: ["Horsepower", "sold", "Year"], algorithm: "linear_regression" });
  const dated = await exportAndCompare("mpg-dated/1", 1);
  const { out } = dated;
  t.diagnostic(`mpg-dated: largest difference from dw ${dated.maxDiff}`);
  assert.equal(out.inputs.find((i) => i.name === "sold")?.type, "double");
  // Each part moves the prediction: a part off by one on any row would be seen well above 1e-6.
  const json = JSON.parse(modelText("mpg-dated", 1));
  const parts = ["year", "month", "day", "day_of_week", "day_of_year"].map(
    (p) => json.params.coefficients[json.preprocessing.feature_names.indexOf(`sold.${p}`)],
  );
  t.diagnostic(`sold's coefficients: ${parts.join(", ")}`);
  for (const c of parts) assert.ok(Math.abs(c) > 1e-4, `coefficient ${c}`);
  // A tree splits on the parts themselves: a part off by one would send rows down another branch.
  await trainAndRegister("origin-dated", { target: "Origin", features: ["sold", "Weight_in_lbs"], algorithm: "decision_tree" });
  const { maxDiff } = await exportAndCompare("origin-dated/1", 1);
  t.diagnostic(`origin-dated: largest difference from dw ${maxDiff}`);
});

test("a model whose input column has the name of a graph output is refused, naming the column, and nothing is written", async () => {
  await trainAndRegister("mpg-clash", { target: "Miles_per_Gallon", features: ["Horsepower", "prediction"], algorithm: "linear_regression" });
  const path = join(tw.dir, "exports", "clash.onnx");
  await assert.rejects(exportOnnx(ctx, { modelId: "mpg-clash/1", path }), (e: unknown) => {
    assert.ok(e instanceof DwError);
    assert.equal(e.code, "INVALID_INPUT");
    assert.match(e.message, /cannot be exported to ONNX: its input column 'prediction' has the name of a graph output/);
    assert.deepEqual(e.details, { field: "model_id", column: "prediction", unsupported: "column_name" });
    assert.match(e.hint ?? "", /Rename the column 'prediction'/);
    return true;
  });
  await assert.rejects(stat(path), { code: "ENOENT" });
});

test("a model id that names nothing, or a version that never passed a deploy gate, is NOT_FOUND naming what exists; a malformed one INVALID_INPUT", async () => {
  const path = join(tw.dir, "exports", "none.onnx");
  const fails = async (modelId: string, code: string, pattern: RegExp) =>
    assert.rejects(exportOnnx(ctx, { modelId, path }), (e: DwError) => {
      assert.equal(e.code, code, `${modelId}: ${e.message}`);
      assert.match(`${e.message} ${e.hint}`, pattern);
      assert.equal(e.details?.field, "model_id");
      return true;
    });
  await fails("nope@production", "NOT_FOUND", /No registered model 'nope'/);
  await fails("mpg-linear/9", "NOT_FOUND", /has no version 9/);
  await fails("mpg-linear@production", "NOT_FOUND", /mpg-linear@champion \(v1\)/);
  await fails("mpg-linear", "INVALID_INPUT", /name@alias/);
  const run = ok(
    await runTool("train_model", { dataset_id: "cars", target: "Miles_per_Gallon", features: ["Horsepower"], algorithm: "linear_regression" }, ctx),
  );
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "ungated" }, ctx));
  await fails("ungated/1", "NOT_FOUND", /never passed a deploy gate/);
  await assert.rejects(stat(path), { code: "ENOENT" });
});

test("logistic regressions, binary with boolean labels and multiclass with text labels, give dw's labels and probabilities", async (t) => {
  await trainAndRegister("efficient", {
    target: "efficient",
    features: ["Horsepower", "Weight_in_lbs", "Acceleration", "heavy", "Origin", "Name"],
    algorithm: "logistic_regression",
  });
  const binary = await exportAndCompare("efficient/1", 1);
  assert.deepEqual(binary.out.outputs, [
    { name: "label", type: "bool" },
    { name: "probabilities", type: "double" },
  ]);
  assert.equal(binary.out.inputs.find((i) => i.name === "heavy")?.type, "double", "a boolean input is read as 1/0 doubles, NaN missing");
  await trainAndRegister("origin", {
    target: "Origin",
    features: ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "heavy"],
    algorithm: "logistic_regression",
  });
  const multi = await exportAndCompare("origin/1", 1);
  t.diagnostic(`logistic: largest difference from dw ${binary.maxDiff} (binary), ${multi.maxDiff} (multiclass)`);
  assert.equal(multi.out.outputs[0].type, "string");
});

test("a named feature pipeline (log1p, numeric and boolean one-hot, ordinal, mode imputation, standardisation, an interaction) scores alike, with numeric labels", async (t) => {
  ok(
    await runTool(
      "create_feature_pipeline",
      {
        name: "cars-all-steps",
        dataset_id: "cars",
        features: ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "heavy", "Name"],
        steps: [
          { column: "Displacement", transform: "log1p" },
          { column: "Cylinders", transform: "one_hot" },
          { column: "Horsepower", transform: "impute_mode" },
          { column: "Weight_in_lbs", transform: "standardize" },
          { column: "heavy", transform: "one_hot" },
          { column: "Name", transform: "ordinal" },
          { column: "Horsepower*Acceleration", transform: "interaction", inputs: ["Horsepower", "Acceleration"] },
          { column: "Acceleration", transform: "drop" },
        ],
      },
      ctx,
    ),
  );
  await trainAndRegister("origin-code", { target: "origin_code", task: "classification", algorithm: "logistic_regression", pipeline: "cars-all-steps" });
  const kinds = JSON.parse(modelText("origin-code", 1)).preprocessing.steps.map(
    (s: { kind: string; numeric?: boolean }) => s.kind + (s.numeric ? "(numeric)" : ""),
  );
  assert.deepEqual(kinds.sort(), ["numeric", "numeric", "numeric", "onehot", "onehot(numeric)", "ordinal", "interaction"].sort());
  const { out, maxDiff } = await exportAndCompare("origin-code/1", 1);
  t.diagnostic(`origin-code (every step): largest difference from dw ${maxDiff}`);
  assert.equal(out.outputs[0].type, "double");
  assert.deepEqual(
    out.inputs.map((i) => `${i.name}:${i.type}`),
    ["Cylinders:double", "Displacement:double", "Horsepower:double", "Weight_in_lbs:double", "heavy:string", "Name:string", "Acceleration:double"],
  );
});

const treeFeatures = ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "heavy", "Origin", "Name", "sold"];

test("decision trees and random forests, regression and classification, score alike in onnxruntime (ai.onnx.ml TreeEnsemble in double)", async (t) => {
  const cases: [string, Record<string, unknown>][] = [
    ["tree-mpg", { target: "Miles_per_Gallon", algorithm: "decision_tree" }],
    ["tree-origin", { target: "Origin", algorithm: "decision_tree", hyperparameters: { max_depth: 6 } }],
    ["forest-mpg", { target: "Miles_per_Gallon", algorithm: "random_forest", hyperparameters: { n_estimators: 30 } }],
    ["forest-efficient", { target: "efficient", algorithm: "random_forest", hyperparameters: { n_estimators: 25 } }],
    ["forest-origin", { target: "Origin", algorithm: "random_forest", hyperparameters: { n_estimators: 20, max_depth: 8 } }],
    // Four trees of pure leaves: many rows split 2 to 2, a tie dw gives the first class, as must the graph.
    ["forest-ties", { target: "efficient", algorithm: "random_forest", hyperparameters: { n_estimators: 4 } }],
  ];
  for (const [name, train] of cases) {
    await trainAndRegister(name, { features: treeFeatures.filter((f) => f !== train.target), ...train });
    const { maxDiff, ties } = await exportAndCompare(`${name}/1`, 1);
    t.diagnostic(`${name}: largest difference from dw ${maxDiff}; rows with tied classes (the same label) ${ties}`);
  }
});

test("gradient boosting, regression, binary and multiclass, scores alike in onnxruntime (its baseline, then its trees, in dw's order)", async (t) => {
  const cases: [string, Record<string, unknown>][] = [
    ["boost-mpg", { target: "Miles_per_Gallon", algorithm: "gradient_boosting", hyperparameters: { max_iter: 40 } }],
    ["boost-efficient", { target: "efficient", algorithm: "gradient_boosting", hyperparameters: { max_iter: 40 } }],
    ["boost-origin", { target: "Origin", algorithm: "xgboost", hyperparameters: { max_iter: 30 } }],
  ];
  for (const [name, train] of cases) {
    await trainAndRegister(name, { features: treeFeatures.filter((f) => f !== train.target), ...train });
    const { maxDiff, ties } = await exportAndCompare(`${name}/1`, 1);
    t.diagnostic(`${name}: largest difference from dw ${maxDiff}; rows with tied classes (the same label) ${ties}`);
  }
});

test("export_model --onnx writes the same model through the tool, and answers its inputs and outputs", async () => {
  const path = join(tw.dir, "exports", "tool.onnx");
  const out = ok(await runTool("export_model", { model_id: "efficient@staging", onnx: path }, ctx));
  assert.equal(out.format, "onnx");
  assert.equal(out.model_name, "efficient");
  assert.equal(out.version, 1);
  assert.equal(out.onnx.path, path);
  assert.equal(out.onnx.bytes, (await stat(path)).size);
  assert.equal(out.onnx.opset, 21);
  assert.deepEqual(
    out.onnx.outputs.map((o: { name: string }) => o.name),
    ["label", "probabilities"],
  );
  const direct = join(tw.dir, "exports", "efficient_1.onnx");
  assert.deepEqual(await readFile(path), await readFile(direct), "the tool writes the bytes exportOnnx writes");
});
