import { test } from "node:test";
import assert from "node:assert/strict";
import type { Column, Dataset, NumberColumn } from "../../../src/data/Dataset.js";
import { fitPipeline, fitPipelineDeferred, transform } from "../../../src/models/preprocessing.js";
import { numericStepValues } from "../../../src/models/numericStepValues.js";
import { rowAccessor } from "../../../src/models/rowAccessor.js";
import { createRandom } from "../../../src/models/random.js";
import { shuffledRows } from "../../../src/models/split.js";
import { isDwError } from "../../../src/errors/DwError.js";

const N = 5000;
const rand = createRandom(11);
const number = (name: string, value: (i: number) => number): NumberColumn => {
  const values = Float64Array.from({ length: N }, (_, i) => value(i));
  return { name, type: "number", values, nulls: values.filter(Number.isNaN).length };
};
// Many equal values, both zeros (a median's sign), and a column with missing values, whose median
// is needed by the training matrix itself.
const whole = number("whole", () => Math.round(rand() * 10));
const zeros = number("zeros", (i) => (i % 2 ? -0 : 0));
const wide = number("wide", () => (rand() - 0.5) * 1e6);
const holes = number("holes", (i) => (i % 7 === 0 ? NaN : rand()));
const text: Column = { name: "text", type: "string", values: Array.from({ length: N }, (_, i) => (i % 3 ? "a" : "b")), nulls: 0 };
const columns = [whole, zeros, wide, holes, text];
const ds: Dataset = { rows: N, columns };
const train = shuffledRows(
  Array.from({ length: N }, (_, i) => i),
  5,
).subarray(0, N * 0.8);

const bytes = (X: { data: Float64Array | Float32Array }) => Buffer.from(X.data.buffer, X.data.byteOffset, X.data.byteLength);

for (const scale of [false, true]) {
  test(`fitPipelineDeferred (scale ${scale}): the training matrix before the medians, and the pipeline after them, are fitPipeline's to the byte`, () => {
    const expected = fitPipeline(columns, train, { scale });
    const { pipeline, imputeLater } = fitPipelineDeferred(columns, train, { scale });
    // Left for later: the medians of the columns with no missing value; the one with holes has its median now.
    const imputes = Object.fromEntries(pipeline.steps.map((s) => [s.column, s.kind === "numeric" ? s.impute : undefined]));
    assert.ok(Number.isNaN(imputes.whole) && Number.isNaN(imputes.zeros) && Number.isNaN(imputes.wide));
    assert.equal(imputes.holes, (expected.steps[3] as { impute: number }).impute);
    const before = transform(pipeline, train.length, rowAccessor(ds, train));
    const reference = transform(expected, train.length, rowAccessor(ds, train));
    assert.ok(bytes(before).equals(bytes(reference)), "the training matrix built before the medians differs");
    imputeLater();
    assert.equal(JSON.stringify(pipeline), JSON.stringify(expected));
    assert.ok(Object.is((pipeline.steps[1] as { impute: number }).impute, (expected.steps[1] as { impute: number }).impute), "the zero's sign");
  });
}

test("fitPipelineDeferred on no training rows refuses at once, as fitPipeline does", () => {
  for (const fit of [fitPipeline, (c: Column[], r: number[], o: { scale: boolean }) => fitPipelineDeferred(c, r, o).pipeline]) {
    assert.throws(
      () => fit([wide], [], { scale: false }),
      (e) => isDwError(e) && e.code === "DATA_ERROR" && /no values in the training rows/.test(e.message),
    );
  }
});

test("numericStepValues are the numbers fitPipelineDeferred fits on a number column, and fitPipelineDeferred takes them as given (`known`) when scaled as asked", () => {
  for (const scale of [false, true]) {
    const { pipeline } = fitPipelineDeferred(columns, train, { scale });
    for (const col of [whole, zeros, wide, holes]) {
      const step = pipeline.steps.find((s) => s.column === col.name);
      assert.ok(step?.kind === "numeric");
      const values = numericStepValues(col, train, scale);
      assert.ok(Object.is(values.impute, step.impute), `${col.name} (scale ${scale}): impute`);
      assert.equal(JSON.stringify(values.scale), JSON.stringify(step.scale), `${col.name} (scale ${scale}): scale`);
    }
  }
  // Given numbers are used as they are (the fit worker fitted them on these rows): no column is read for them.
  const known = new Map([["holes", { impute: 0.25, scale: { mean: 1.5, std: 2 } }]]);
  const taken = fitPipelineDeferred(columns, train, { scale: true, known }).pipeline.steps[3];
  assert.deepEqual(taken, { kind: "numeric", column: "holes", impute: 0.25, scale: { mean: 1.5, std: 2 } });
  // Numbers fitted without scaling are no answer for a scaled pipeline (nor the other way): fitted here.
  const unscaled = fitPipelineDeferred(columns, train, { scale: true, known: new Map([["holes", { impute: 0.25 }]]) }).pipeline;
  assert.equal(JSON.stringify(unscaled), JSON.stringify(fitPipelineDeferred(columns, train, { scale: true }).pipeline));
  const scaled = fitPipelineDeferred(columns, train, { scale: false, known }).pipeline;
  assert.equal(JSON.stringify(scaled), JSON.stringify(fitPipelineDeferred(columns, train, { scale: false }).pipeline));
});
