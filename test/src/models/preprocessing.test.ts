import { test } from "node:test";
import assert from "node:assert/strict";
import type { Column, NumberColumn } from "../../../src/data/Dataset.js";
import { fitPipeline, inputSignature, transform, Pipeline, type PipelineSpec } from "../../../src/models/preprocessing.js";
import type { ValueAccessor } from "../../../src/models/ValueAccessor.js";
import type { FeatureMatrix } from "../../../src/models/FeatureMatrix.js";
import { ModelJson } from "../../../src/models/ModelJson.js";
import { loadModel, scoreModel } from "../../../src/models/scoreModel.js";

const num = (name: string, values: number[]): NumberColumn => ({
  name,
  type: "number",
  values: Float64Array.from(values),
  nulls: values.filter(Number.isNaN).length,
});
// Rows 0-3 train. Row 4 is outside them: were it counted, a's median would be 3, not 2.
const a = num("a", [1, 2, NaN, 4, 100, NaN]);
const b = num("b", [10, NaN, 30, 40, 50, 60]);
const c: Column = { name: "c", type: "string", values: ["x", "y", "x", "y", "x", "y"], nulls: 0 };
const train = [0, 1, 2, 3];
const all = [0, 1, 2, 3, 4, 5];
// a*b with a missing a as 2 and a missing b as 30, the training medians.
const products = [10, 60, 60, 160, 5000, 120];
const spec = (transforms: Record<string, string[]> = {}): PipelineSpec => ({
  transforms: new Map(Object.entries(transforms)),
  interactions: [{ column: "a*b", inputs: ["a", "b"] }],
});
const accessor =
  (cols: Column[]): ValueAccessor =>
  (name) => {
    const col = cols.find((x) => x.name === name);
    assert.ok(col, `the pipeline read '${name}', which is no input column`);
    return (i) => col.values[i];
  };
const column = (X: FeatureMatrix, j: number) => Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]);

test("an interaction is the product of its inputs, a missing input taking its median over the training rows only", () => {
  const p = fitPipeline([a, b], train, { scale: false, spec: spec() });
  assert.deepEqual(p.feature_names, ["a", "b", "a*b"]);
  assert.deepEqual(p.steps[2], { kind: "interaction", column: "a*b", inputs: ["a", "b"], impute: [2, 30] });
  const X = transform(p, all.length, accessor([a, b]));
  assert.deepEqual(column(X, 2), products);
  // Each raw input once, though two steps read it.
  assert.deepEqual(inputSignature(p), [
    { name: "a", type: "double" },
    { name: "b", type: "double" },
  ]);
});

test("when the algorithm scales, the product is standardised by its training mean and std", () => {
  const p = fitPipeline([a, b], train, { scale: true, spec: spec() });
  const step = p.steps[2];
  assert.equal(step.kind, "interaction");
  const mean = (10 + 60 + 60 + 160) / 4;
  const std = Math.sqrt([10, 60, 60, 160].reduce((s, x) => s + (x - mean) ** 2, 0) / 4);
  assert.equal(step.scale?.mean, mean);
  assert.ok(Math.abs(step.scale!.std - std) < 1e-12);
  const X = transform(p, all.length, accessor([a, b]));
  column(X, 2).forEach((x, i) => assert.ok(Math.abs(x - (products[i] - mean) / std) < 1e-12, `row ${i}: ${x}`));
});

test("a dropped input stays out of the matrix but is still read, and listed once in the signature", () => {
  const p = fitPipeline([a, b, c], train, { scale: false, spec: spec({ a: ["drop"], c: ["drop"] }) });
  assert.deepEqual(p.feature_names, ["b", "a*b"]);
  assert.deepEqual(inputSignature(p), [
    { name: "b", type: "double" },
    { name: "a", type: "double" },
  ]);
  assert.deepEqual(column(transform(p, all.length, accessor([a, b])), 1), products);
  const both = fitPipeline([a, b], train, { scale: false, spec: spec({ a: ["drop"], b: ["drop"] }) });
  assert.deepEqual(both.feature_names, ["a*b"]);
  assert.deepEqual(inputSignature(both), [
    { name: "a", type: "double" },
    { name: "b", type: "double" },
  ]);
});

test("an interaction on a text column or on a column that is not a feature is refused", () => {
  const textSpec: PipelineSpec = { transforms: new Map(), interactions: [{ column: "a*c", inputs: ["a", "c"] }] };
  assert.throws(
    () => fitPipeline([a, c], train, { scale: false, spec: textSpec }),
    (e: any) => e.code === "INVALID_INPUT" && /'c', which is a string column/.test(e.message),
  );
  assert.throws(
    () => fitPipeline([a], train, { scale: false, spec: spec() }),
    (e: any) => e.code === "INVALID_INPUT" && /'b', which is not among the features/.test(e.message) && e.details.field === "features",
  );
  const clash: PipelineSpec = { transforms: new Map(), interactions: [{ column: "a", inputs: ["a", "b"] }] };
  assert.throws(
    () => fitPipeline([a, b], train, { scale: false, spec: clash }),
    (e: any) => e.code === "INVALID_INPUT" && /another step produces/.test(e.message),
  );
});

test("a value that is not a number gives the interaction the same row and column error as a numeric step", () => {
  const bad: Column = { name: "a", type: "string", values: ["1", "2", "lots", "4", null, null], nulls: 2 };
  const inter = fitPipeline([a, b], train, { scale: false, spec: spec({ a: ["drop"], b: ["drop"] }) });
  const numeric = fitPipeline([a], train, { scale: false });
  const errorOf = (p: Pipeline) => {
    try {
      transform(p, all.length, accessor([bad, b]));
    } catch (e: any) {
      return { code: e.code, message: e.message, details: e.details };
    }
    assert.fail("expected an error");
  };
  const got = errorOf(inter);
  assert.deepEqual(got, errorOf(numeric));
  assert.deepEqual(got, {
    code: "INVALID_INPUT",
    message: "Row 2, column 'a': expected a finite number (double), got text that is not a decimal number.",
    details: { row: 2, column: "a" },
  });
});

test("a model.json with an interaction round-trips through zod, and scoring reads only raw columns", () => {
  const p = fitPipeline([a, b], train, { scale: true, spec: spec({ a: ["drop"] }) });
  assert.deepEqual(Pipeline.parse(JSON.parse(JSON.stringify(p))), p);
  // The step's shape is checked: an interaction of three inputs is no valid model.
  const three = { ...p, steps: p.steps.map((s) => (s.kind === "interaction" ? { ...s, inputs: ["a", "b", "b"] } : s)) };
  assert.equal(Pipeline.safeParse(three).success, false);

  const model: ModelJson = {
    format: "dw.model/1",
    algorithm: "linear_regression",
    task: "regression",
    target: "y",
    hyperparameters: {},
    signature: { inputs: inputSignature(p), outputs: [{ name: "y", type: "double" }] },
    preprocessing: p,
    params: { kind: "linear_regression", intercept: 1, coefficients: [0.5, 2] },
    training_data: { dataset_id: "t", sha256: "0".repeat(64), rows: 4 },
    reference_stats: {},
    created_at: "2026-01-01T00:00:00.000Z",
    run_id: "r",
  };
  const text = JSON.stringify(model);
  assert.deepEqual(ModelJson.parse(JSON.parse(text)), model);
  const loaded = loadModel(text, "model.json");
  const [bStep, inter] = p.steps;
  assert.ok(bStep.kind === "numeric" && bStep.scale && inter.kind === "interaction" && inter.scale);
  // Rows as a request sends them: columns in another order, nulls for missing values, one extra column.
  const rows = [
    [null, 3, 5],
    [7, "x", null],
    [2, 1, 10],
  ];
  const preds = scoreModel(loaded, { columns: ["b", "extra", "a"], rows });
  const expected = rows.map(([bv, , av]) => {
    const bx = (bv as number | null) ?? bStep.impute;
    const prod = ((av as number | null) ?? inter.impute[0]) * bx;
    return 1 + 0.5 * ((bx - bStep.scale!.mean) / bStep.scale!.std) + 2 * ((prod - inter.scale!.mean) / inter.scale!.std);
  });
  preds.forEach((y, i) => assert.ok(Math.abs((y as number) - expected[i]) < 1e-9, `row ${i}: ${y} vs ${expected[i]}`));
  // The dropped input is required of a request all the same.
  assert.throws(
    () => scoreModel(loaded, { columns: ["b"], rows: [[1]] }),
    (e: any) => e.code === "INVALID_INPUT" && /Missing column\(s\) 'a'/.test(e.message),
  );
});
