import { test } from "node:test";
import assert from "node:assert/strict";
import {
  predictErrorLines,
  predictionView,
  readPredictAnswer,
  rowFromForm,
  tryFields,
  type SignatureInput,
} from "../../../labextension/src/widgets/endpointTryView.js";
import { PredictOutput } from "../../../src/tools/predict.js";

// predict's output as the tool's own schema accepts it: the form reads nothing else.
const answer = PredictOutput.parse({
  model: "temp",
  version: 3,
  alias: "production",
  task: "regression",
  target: "temp_max",
  inputs: [
    { name: "precipitation", type: "double" },
    { name: "weather", type: "string" },
    { name: "holiday", type: "boolean" },
    { name: "date", type: "datetime" },
  ],
  example: { precipitation: 0.2, weather: "rain", holiday: true, date: "2014-06-15" },
  rows: [{ precipitation: 0.2, weather: "rain", holiday: true, date: "2014-06-15" }],
  predictions: [14.356789],
});
const inputs: SignatureInput[] = answer.inputs;

test("one field per input in signature order, each control fitting its type and prefilled with the example row", () => {
  assert.deepEqual(tryFields(inputs, answer.example), [
    { name: "precipitation", type: "double", control: "number", value: "0.2" },
    { name: "weather", type: "string", control: "text", value: "rain" },
    { name: "holiday", type: "boolean", control: "checkbox", value: true },
    { name: "date", type: "datetime", control: "date", value: "2014-06-15" },
  ]);
  // A datetime the date picker cannot hold stays a text box; an input the example lacks is empty.
  assert.deepEqual(
    tryFields(
      [
        { name: "at", type: "datetime" },
        { name: "x", type: "double" },
      ],
      { at: "2014-06-15T10:00:00" },
    ),
    [
      { name: "at", type: "datetime", control: "text", value: "2014-06-15T10:00:00" },
      { name: "x", type: "double", control: "number", value: "" },
    ],
  );
});

test("the row sent: numbers as numbers, empty fields as missing values, checkboxes as booleans, text as typed", () => {
  const fields = tryFields(inputs, answer.example);
  const typed = new Map<string, string | boolean>([
    ["precipitation", " 12.5 "],
    ["weather", ""],
    ["holiday", false],
  ]);
  assert.deepEqual(rowFromForm(fields, typed), { ok: true, row: { precipitation: 12.5, weather: null, holiday: false, date: "2014-06-15" } });
  assert.deepEqual(rowFromForm(fields, new Map([["precipitation", ""]])), {
    ok: true,
    row: { precipitation: null, weather: "rain", holiday: true, date: "2014-06-15" },
  });
});

test("a number box holding anything but a finite number is a problem naming the field, and nothing is sent", () => {
  const fields = tryFields(inputs, answer.example);
  assert.deepEqual(rowFromForm(fields, new Map([["precipitation", "lots"]])), {
    ok: false,
    problems: [{ field: "precipitation", message: "precipitation: 'lots' is not a number." }],
  });
  assert.equal(rowFromForm(fields, new Map([["precipitation", "1e999"]])).ok, false);
});

test("the prediction is labelled with the target and the version; a class label shows as is", () => {
  const read = readPredictAnswer(answer);
  assert.ok(read);
  assert.deepEqual(predictionView(read), { label: "temp_max (predicted)", value: "14.4", exact: "14.356789", detail: "temp v3 · regression" });
  const label = readPredictAnswer({ ...answer, task: "classification", target: "weather", predictions: ["sun"] });
  assert.ok(label);
  assert.equal(predictionView(label).value, "sun");
});

test("an answer that is not predict's is refused rather than half-read; an error shows message, hint and code", () => {
  assert.equal(readPredictAnswer({ ...answer, inputs: [{ name: "x", type: "float" }] }), null);
  assert.equal(readPredictAnswer({ ...answer, version: "3" }), null);
  assert.equal(readPredictAnswer({ ok: true }), null);
  assert.deepEqual(predictErrorLines({ code: "NOT_FOUND", message: "temp@production names no version.", hint: "See the aliases" }), [
    "temp@production names no version.",
    "See the aliases",
    "code: NOT_FOUND",
  ]);
});
