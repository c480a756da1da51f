import { test } from "node:test";
import assert from "node:assert/strict";
import { CALL_INPUT_LIMIT, dwCallOf } from "../../kernel/dwCallOf.js";
import { resultIdOf } from "../../kernel/resultIdOf.js";

test("a call's result id names what it made, most specific first: endpoint, model/version, run, dataset", () => {
  assert.equal(
    resultIdOf({ run_id: "r1", model_name: "temp", version: 3, endpoint_url: "http://127.0.0.1:5001/models/temp@production/invocations" }),
    "http://127.0.0.1:5001/models/temp@production/invocations",
  );
  assert.equal(resultIdOf({ run_id: "r1", model_name: "temp", version: 3, model_id: "temp/3" }), "temp/3");
  assert.equal(resultIdOf({ run_id: "20261204-101010-a1b2c3", dataset_id: "weather", metrics: {} }), "20261204-101010-a1b2c3");
  assert.equal(resultIdOf({ dataset_id: "weather", rows: 10 }), "weather");
  assert.equal(resultIdOf({ model_name: "temp", versions: [] }), undefined, "a name alone is no version");
  assert.equal(resultIdOf({ run_id: 7 }), undefined, "only text is an id");
  assert.equal(resultIdOf({}), undefined);
});

test("a call records the tool, where it was written, its input as a copy, and its result id or error code", () => {
  const input: Record<string, unknown> = { dataset_id: "weather", target: "temp_max", features: ["wind"] };
  const made = dwCallOf({ ok: true, tool: "train_model", output: { run_id: "r1" } }, input, { line: 2, as: "run" });
  assert.deepEqual(made, {
    tool: "train_model",
    line: 2,
    input: { dataset_id: "weather", target: "temp_max", features: ["wind"] },
    as: "run",
    ok: true,
    result_id: "r1",
  });
  (input.features as string[]).push("temp_min");
  assert.deepEqual(made.input!.features, ["wind"], "a later change to the variable does not rewrite the record");
  assert.deepEqual(dwCallOf({ ok: false, tool: "train_model", error: { code: "GATE_FAILED", message: "m" } }, { dataset_id: "d" }), {
    tool: "train_model",
    input: { dataset_id: "d" },
    ok: false,
    error_code: "GATE_FAILED",
  });
});

test(`an input over ${CALL_INPUT_LIMIT} bytes of JSON, or not JSON at all, is left out and the call still recorded`, () => {
  const ok = { ok: true as const, tool: "load_dataset", output: { dataset_id: "rows" } };
  const rows = Array.from({ length: 100_000 }, (_, i) => ({ i, name: `row ${i}` }));
  assert.deepEqual(dwCallOf(ok, { data: rows }), { tool: "load_dataset", ok: true, result_id: "rows" });
  const justUnder = { text: "x".repeat(CALL_INPUT_LIMIT - 20) };
  assert.deepEqual(dwCallOf(ok, justUnder).input, justUnder);
  assert.equal(dwCallOf(ok, { text: "x".repeat(CALL_INPUT_LIMIT) }).input, undefined);
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  assert.equal(dwCallOf(ok, cycle).input, undefined);
  assert.equal(dwCallOf(ok, { n: 10n }).input, undefined);
  // dw.x() called with something that is not an object of fields: no input to record.
  assert.equal(dwCallOf(ok, "weather").input, undefined);
  assert.equal(dwCallOf(ok, [1, 2]).input, undefined);
});
