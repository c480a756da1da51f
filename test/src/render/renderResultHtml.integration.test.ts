import { test, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, renderResultHtml, hasRenderer, tools, type ToolResult } from "../../../src/index.js";

const tw = await makeTempWorkspace("dw-render-");
after(() => tw.cleanup());

test("every tool's real output renders as a readable HTML summary", async () => {
  const ctx = await createToolContext({ cwd: tw.dir });
  const outputs: [string, ToolResult][] = [];
  const call = async (tool: string, input: unknown) => {
    const r = await runTool(tool, input, ctx);
    assert.ok(r.ok, `${tool}: ${JSON.stringify(r.ok ? null : r.error)}`);
    outputs.push([tool, r]);
    return r.output as Record<string, any>;
  };
  await call("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" });
  await call("get_feature_stats", { dataset_id: "w" });
  await call("suggest_features", { dataset_id: "w", target: "temp_max" });
  await call("create_experiment", { name: "e1" });
  const a = await call("train_model", { dataset_id: "w", target: "temp_max", features: ["temp_min"], experiment: "e1" });
  const b = await call("train_model", { dataset_id: "w", target: "weather", algorithm: "decision_tree", hyperparameters: { max_depth: 4 } });
  await call("train_model", { dataset_id: "w", target: "temp_max", features: ["temp_min", "wind"], experiment: "e1" });
  await call("log_metrics", { run_id: a.run_id, metrics: { loss: 0.5 }, step: 1 });
  await call("compare_experiments", { experiment: "e1" });
  await call("register_model", { model_id: b.run_id, model_name: "kind", description: "<script>alert(1)</script>" });
  await call("get_model_versions", { model_name: "kind" });
  await call("select_model", { dataset_id: "w", target: "weather", quick: true, folds: 2 });
  await call("evaluate_model", { model_id: b.run_id });
  await call("explain_model", { model_id: b.run_id, n_repeats: 2, max_rows: 300 });
  await call("create_feature_pipeline", {
    name: "basic",
    dataset_id: "w",
    features: ["temp_min", "wind"],
    steps: [{ column: "temp_min*wind", transform: "interaction", inputs: ["temp_min", "wind"] }],
  });
  // Every tool has its own summary. The modeling tools' real outputs are rendered here; the tools
  // that start a server are rendered in the notebook tests, and the data, quality and governance
  // tools in their own tests.
  assert.deepEqual(
    tools.map((t) => t.name).filter((n) => !hasRenderer(n)),
    [],
    "a tool without an HTML summary",
  );
  for (const [tool, r] of outputs) {
    assert.ok(r.ok);
    const html = renderResultHtml(tool, r.output);
    assert.match(html, new RegExp(`data-dw-tool="${tool}"`));
    assert.doesNotMatch(html, /undefined|NaN|\[object Object\]/, `${tool} renders a missing value badly`);
    assert.doesNotMatch(html, /<script>/);
    if (tool !== "load_dataset") assert.doesNotMatch(html, /^<div[^>]*><pre>/, `${tool} falls back to the generic JSON view`);
  }
  // An interaction step says what it multiplies.
  const pipeline = outputs.find(([tool]) => tool === "create_feature_pipeline")![1];
  assert.match(renderResultHtml("create_feature_pipeline", pipeline.ok ? pipeline.output : {}), /temp_min\*wind<\/td><td[^>]*>interaction of temp_min × wind</);
});
