import { test } from "node:test";
import assert from "node:assert/strict";
import { chartBundle, createResultRegistry, summary, toolResultBundle, valueBundle } from "../../kernel/display.js";
import { DW_RESULT_MIME } from "../../src/comm/protocol.js";

test("a tool result carries HTML, the dw bundle (with the JSON) and a one-line summary", () => {
  const output = { run_id: "r1", metrics: { r2: 0.9 }, target: "t" };
  const b = toolResultBundle("some_tool", output);
  assert.deepEqual(b[DW_RESULT_MIME], { tool: "some_tool", output });
  assert.equal(b["application/json"], undefined, "JupyterLab would show a JSON tree instead of the HTML");
  assert.match(String(b["text/html"]), /dw-result/);
  assert.equal(b["text/plain"], "some_tool: run_id=r1 target=t");
  // train_model's renderer expects a whole output; a partial one still gives JSON and text.
  const partial = toolResultBundle("train_model", output);
  assert.equal(partial["application/json"], output);
  assert.equal(partial["text/plain"], "train_model: run_id=r1 target=t");
  assert.equal(summary("x", { s: "a".repeat(100) }), `x: s=${"a".repeat(77)}...`);
});

test("values remembered as tool outputs render as tool results; others as text", () => {
  const results = createResultRegistry();
  const output = { run_id: "r1" };
  results.remember("some_tool", output);
  assert.ok(DW_RESULT_MIME in valueBundle(output, results));
  assert.deepEqual(valueBundle({ run_id: "r1" }, results), { "text/plain": "{ run_id: 'r1' }" });
  assert.deepEqual(valueBundle("plain", results), { "text/plain": "plain" });
  assert.deepEqual(valueBundle(3, results), { "text/plain": "3" });
});

test("a tool output carrying a Vega-Lite chart gets a chart output of its own", () => {
  const chart = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", mark: "bar", title: "Importance", data: { values: [] } };
  assert.deepEqual(chartBundle({ model_id: "r", chart }), { "application/vnd.vegalite.v5+json": chart, "text/plain": "[chart] Importance" });
  assert.equal(chartBundle({ chart: { mark: "bar" } }), undefined);
  assert.equal(chartBundle({ model_id: "r" }), undefined);
});
