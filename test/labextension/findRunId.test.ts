import { test } from "node:test";
import assert from "node:assert/strict";
import { findRunId } from "../../labextension/src/findRunId.js";
import { DW_RESULT_MIME } from "../../src/comm/protocol.js";

const bundle = (tool: string, output: Record<string, unknown>) => ({ data: { [DW_RESULT_MIME]: { tool, output }, "text/plain": `${tool}: …` } });

test("the Productionize button finds the run a cell trained, preferring train_model over other results with a run id", () => {
  assert.equal(findRunId([bundle("train_model", { run_id: "r1" })]), "r1");
  assert.equal(findRunId([bundle("log_metrics", { run_id: "r0" }), bundle("train_model", { run_id: "r1" })]), "r1");
  assert.equal(findRunId([bundle("log_metrics", { run_id: "r0" }), bundle("evaluate_model", { model_id: "r1" })]), "r0");
});

test("a bundle stored as JSON text (as nbformat may keep it) is read too", () => {
  assert.equal(findRunId([{ data: { [DW_RESULT_MIME]: JSON.stringify({ tool: "train_model", output: { run_id: "r7" } }) } }]), "r7");
});

test("outputs without a dw result, or with a broken one, give no run", () => {
  assert.equal(findRunId([]), null);
  assert.equal(findRunId([{ data: { "text/plain": "3" } }, {}, { data: null }]), null);
  assert.equal(findRunId([{ data: { [DW_RESULT_MIME]: "{ not json" } }]), null);
  assert.equal(findRunId([{ data: { [DW_RESULT_MIME]: { tool: "train_model" } } }]), null);
  assert.equal(findRunId([bundle("train_model", { run_id: "" })]), null);
  assert.equal(findRunId([bundle("train_model", { run_id: 7 })]), null);
});
