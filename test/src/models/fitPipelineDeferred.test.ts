import { test } from "node:test";
import assert from "node:assert/strict";
import type { Column, Dataset, NumberColumn } from "../../../src/data/Dataset.js";
import { fitPipeline, fitPipelineDeferred, transform } from "../../../src/models/preprocessing.js";
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
