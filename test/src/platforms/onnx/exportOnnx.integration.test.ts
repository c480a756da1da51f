import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFile, readFile, stat } from "node:fs/promises";
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
type Car = Record<string, string | number | null>;
let cars: Car[];

before(async () => {
  tw = await makeTempWorkspace("dw-onnx-");
  await copyFile(join(repoRoot, "node_modules", "vega-datasets", "data", "cars.json"), join(tw.dir, "data", "cars.json"));
  cars = JSON.parse(await readFile(join(tw.dir, "data", "cars.json"), "utf8"));
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/cars.json", dataset_id: "cars" }, ctx));
});
after(async () => tw.cleanup());

const modelText = (name: string, version: number) =>
  execFileSync("git", ["show", `refs/dw/models/${name}/${version}:model.json`], { cwd: tw.dir, encoding: "utf8", maxBuffer: 1 << 28 });

/** Trains on cars and registers the run as `name` (version 1), then exports `name@champion`'s alias or `name/1`. */
async function trainAndRegister(name: string, train: Record<string, unknown>): Promise<void> {
  const run = ok(await runTool("train_model", { dataset_id: "cars", ...train }, ctx));
  ok(await runTool("register_model", { model_id: run.run_id, model_name: name }, ctx));
}

/** Every car, then rows that test imputation and unseen values. */
function scoringRows(): Car[] {
  const blank: Car = Object.fromEntries(Object.keys(cars[0]).map((k) => [k, null]));
  return [
    ...cars,
    blank,
    { ...cars[3], Origin: "Atlantis", Name: "never seen" },
    { ...cars[10], Cylinders: 7, Horsepower: null, Weight_in_lbs: 99999 },
    { ...cars[20], Origin: null, Name: null, Displacement: null },
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
): Promise<{ maxDiff: number; out: Awaited<ReturnType<typeof exportOnnx>> }> {
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
  const byColumn = Object.fromEntries(columns.map((c) => [c, rows.map((r) => r[c] ?? null)]));
  const ort = await scoreWithOnnxRuntime(path, byColumn);
  assert.deepEqual(
    ort.inputs.map((i) => [i.name, i.type]),
    out.inputs.map((i) => [i.name, `tensor(${i.type})`]),
  );
  assert.equal(ort.metadata["dw.model_name"], name);
  assert.equal(ort.metadata["dw.version"], String(version));
  assert.equal(ort.producer, "dw");
  const dw = scoreModel(model, { columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) });
  let maxDiff = 0;
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
    });
  }
  return { maxDiff, out };
}

test("a linear regression on numbers and text, with missing and unseen values, scores in onnxruntime as in dw", async () => {
  await trainAndRegister("mpg-linear", {
    target: "Miles_per_Gallon",
    features: ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "Origin", "Name"],
    algorithm: "linear_regression",
  });
  ok(await runTool("deploy_model", { model_name: "mpg-linear", alias: "champion" }, ctx).then((r) => r));
  const { out } = await exportAndCompare("mpg-linear@champion", 1);
  assert.deepEqual(out.outputs, [{ name: "prediction", type: "double" }]);
  assert.equal(out.inputs.find((i) => i.name === "Origin")?.type, "string");
  assert.equal(out.inputs.find((i) => i.name === "Horsepower")?.type, "double");
  await exportAndCompare("mpg-linear/1", 1);
});

test("a model with a date column is refused, naming the column and the step, and nothing is written", async () => {
  await trainAndRegister("mpg-dated", { target: "Miles_per_Gallon", features: ["Horsepower", "Year"], algorithm: "linear_regression" });
  const path = join(tw.dir, "exports", "dated.onnx");
  await assert.rejects(exportOnnx(ctx, { modelId: "mpg-dated/1", path }), (e: unknown) => {
    assert.ok(e instanceof DwError);
    assert.equal(e.code, "INVALID_INPUT");
    assert.match(e.message, /column 'Year' is a date/);
    assert.deepEqual(e.details, { field: "model_id", column: "Year", step: "date", unsupported: "date" });
    assert.match(e.hint ?? "", /Retrain without 'Year'/);
    return true;
  });
  await assert.rejects(stat(path), { code: "ENOENT" });
});

test("a model id that names nothing is NOT_FOUND naming what exists; a malformed one INVALID_INPUT", async () => {
  const path = join(tw.dir, "exports", "none.onnx");
  await assert.rejects(
    exportOnnx(ctx, { modelId: "nope@production", path }),
    (e: DwError) => e.code === "NOT_FOUND" && /No registered model 'nope'/.test(e.message),
  );
  await assert.rejects(exportOnnx(ctx, { modelId: "mpg-linear/9", path }), (e: DwError) => e.code === "NOT_FOUND" && /mpg-linear\/1/.test(e.hint ?? ""));
  await assert.rejects(
    exportOnnx(ctx, { modelId: "mpg-linear@staging", path }),
    (e: DwError) => e.code === "NOT_FOUND" && /mpg-linear@champion \(v1\)/.test(e.hint ?? ""),
  );
  await assert.rejects(exportOnnx(ctx, { modelId: "mpg-linear", path }), (e: DwError) => e.code === "INVALID_INPUT");
});
