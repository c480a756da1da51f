import assert from "node:assert/strict";
import { test } from "node:test";
import { fitRandomForest } from "../../../src/models/fitRandomForest.js";
import { modelJsonText } from "../../../src/models/modelJsonText.js";
import { synthetic } from "./datasets.js";

/** What model.json was before: pretty JSON, then every array of plain numbers squeezed onto one line. */
const viaRegex = (v: unknown) =>
  (JSON.stringify(v, null, 2) + "\n").replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_m, body: string) => `[${body.replace(/\s+/g, "")}]`);

test("model.json text: JSON.stringify's two-space layout with number arrays on one line", () => {
  const value = {
    format: "dw.model/1",
    empty: [],
    emptyObject: {},
    coefficients: [
      [1.5, -2e-7],
      [3, 1e21],
    ],
    mixed: [1, "a", null, true, { x: [0, -0] }],
    text: 'quote " and\nnewline',
    skipped: undefined,
    fn: () => 1,
    date: new Date(Date.UTC(2026, 10, 28)),
    nested: { deeper: { value: [0.1, 0.2] } },
  };
  assert.equal(modelJsonText(value), viaRegex(value));
  assert.equal(modelJsonText({ a: [1, 2], b: { c: "x" } }), '{\n  "a": [1,2],\n  "b": {\n    "c": "x"\n  }\n}\n');
  // Arrays holding anything but finite numbers are laid out as JSON.stringify does.
  assert.equal(modelJsonText([1, NaN, undefined]), "[\n  1,\n  null,\n  null\n]\n");
  // A hole in a sparse array is null, and boxed primitives are their values, as in JSON.
  // eslint-disable-next-line no-sparse-arrays
  const holes = { a: [1, , 2], b: new Number(3), c: new String("s") };
  assert.equal(modelJsonText(holes), viaRegex(holes));
  assert.doesNotThrow(() => JSON.parse(modelJsonText(holes)));
  assert.deepEqual(JSON.parse(modelJsonText(value)), JSON.parse(JSON.stringify(value)));
});

test("model.json text of a fitted forest equals the pretty-then-squeezed text, and parses back to the model", () => {
  const ds = synthetic(2000, 5, "classification", 3);
  const json = fitRandomForest(ds.X, ds.y, { task: "classification", nEstimators: 3, seed: 1 }).toJSON();
  const text = modelJsonText({ params: json });
  assert.equal(text, viaRegex({ params: json }));
  assert.deepEqual(JSON.parse(text).params, json);
});
