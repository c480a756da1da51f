import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, getTool, runTool, renderResultHtml, hasRenderer, tools, type ToolResult } from "../../../src/index.js";

const tw = await makeTempWorkspace("dw-render-");
const elsewhere = await mkdtemp(join(tmpdir(), "dw-render-out-"));
after(() => Promise.all([tw.cleanup(), rm(elsewhere, { recursive: true, force: true })]));

/**
 * Tools whose real output needs a peer this test does not start, rendered with the same checks in
 * their own test: sync_mlflow (a real MLflow server, test/src/platforms/mlflow).
 */
const RENDERED_ELSEWHERE = new Set(["sync_mlflow"]);

/** Every call's result, in the order made: each tool at least once, on real data. */
const outputs: [string, ToolResult][] = [];

before(async () => {
  const ctx = await createToolContext({ cwd: tw.dir });
  const call = async (tool: string, input: unknown) => {
    const r = await runTool(tool, input, ctx);
    assert.ok(r.ok, `${tool}: ${JSON.stringify(r.ok ? null : r.error)}`);
    outputs.push([tool, r]);
    return r.output as Record<string, any>;
  };
  const people = ["customer_id,email,phone"];
  for (let i = 0; i < 40; i++) people.push(`${1000 + i},user${i}@example.com,"(212) 555-${1000 + i}"`);
  await writeFile(join(tw.dir, "data", "customers.csv"), people.join("\n") + "\n");
  await call("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w", tags: ["weather"] });
  await call("load_dataset", { path: "data/customers.csv", dataset_id: "customers" });
  await call("search_datasets", { query: "temp" });
  await call("get_table_schema", { dataset_id: "w" });
  await call("get_feature_stats", { dataset_id: "w" });
  await call("suggest_features", { dataset_id: "w", target: "temp_max" });
  await call("run_quality_check", { dataset_id: "w", target: "temp_max" });
  await call("get_quality_score", { dataset_id: "w" });
  await call("scan_pii", { dataset_id: "customers" });
  await call("check_policy", { dataset_id: "customers", features: ["email", "phone"], target: "customer_id" });
  await call("estimate_cost", { algorithm: "random_forest", rows: 100_000, features: 20 });
  await call("create_experiment", { name: "e1" });
  const a = await call("train_model", { dataset_id: "w", target: "temp_max", features: ["temp_min"], experiment: "e1" });
  const b = await call("train_model", { dataset_id: "w", target: "weather", algorithm: "decision_tree", hyperparameters: { max_depth: 4 } });
  await call("train_model", { dataset_id: "w", target: "temp_max", features: ["temp_min", "wind"], experiment: "e1" });
  await call("log_metrics", { run_id: a.run_id, metrics: { loss: 0.5 }, step: 1 });
  await call("compare_experiments", { experiment: "e1" });
  await call("get_run_history", { run_id: a.run_id });
  await call("reproduce_run", { model_id: b.run_id });
  await call("register_model", { model_id: b.run_id, model_name: "kind", description: "<script>alert(1)</script>" });
  await call("get_model_versions", { model_name: "kind" });
  await call("list_runs", { limit: 5 });
  await call("get_lineage", { dataset_id: "w" });
  await call("select_model", { dataset_id: "w", target: "weather", quick: true, folds: 2 });
  await call("evaluate_model", { model_id: b.run_id });
  await call("explain_model", { model_id: b.run_id, n_repeats: 2, max_rows: 300 });
  await call("create_feature_pipeline", {
    name: "basic",
    dataset_id: "w",
    features: ["temp_min", "wind"],
    steps: [{ column: "temp_min*wind", transform: "interaction", inputs: ["temp_min", "wind"] }],
  });
  await call("request_approval", { model_name: "kind", version: 1, alias: "production", reason: "ready for <production> & review" });
  await call("request_governance_review", { model_name: "kind", version: 1, decision: "approve", reason: "checked the tree by hand" });
  await call("deploy_model", { model_name: "kind", version: 1, alias: "production" });
  await call("detect_model_drift", { model_id: a.run_id, dataset_id: "w" });
  await call("predict", { model_id: "kind@production" });
  const b2 = await call("train_model", { dataset_id: "w", target: "weather", algorithm: "decision_tree", hyperparameters: { max_depth: 3 } });
  await call("register_model", { model_id: b2.run_id, model_name: "kind" });
  await call("ab_test_models", { model_a_id: "kind/1", model_b_id: "kind/2", alias: "production", traffic_split: 0.5 });
  await call("ab_test_models", { action: "status", model_name: "kind", alias: "production" });
  await call("ab_test_models", { action: "stop", model_name: "kind", alias: "production" });
  await call("retrain_model", { model_id: "kind@production", and_then: "none" });
  await call("productionize", { run_id: a.run_id, alias: "staging" });
  await call("undeploy_model", { model_name: "temp_max", alias: "staging" });
  await call("get_workspace_state", {});
  await call("get_ml_status", {});
  await call("get_gate_reports", {});
  await call("suggest_next_steps", {});
  await call("export_model", { model_id: "kind@production", onnx: join(elsewhere, "kind.onnx") });
  await call("export_model", { model_id: "kind@production", kserve: join(elsewhere, "kind-kserve") });
  const remote = join(elsewhere, "team.git");
  execFileSync("git", ["init", "-q", "--bare", remote]);
  await call("push_registry", { remote });
  await call("pull_registry", { remote });
});

test("every tool's real output renders as a readable HTML summary", async () => {
  // Every tool has its own summary, and every tool's real output is rendered here.
  assert.deepEqual(
    tools.map((t) => t.name).filter((n) => !hasRenderer(n)),
    [],
    "a tool without an HTML summary",
  );
  assert.deepEqual(
    tools.map((t) => t.name).filter((n) => !outputs.some(([tool]) => tool === n) && !RENDERED_ELSEWHERE.has(n)),
    [],
    "a tool whose output this test does not render",
  );
  for (const [tool, r] of outputs) {
    assert.ok(r.ok);
    const html = renderResultHtml(tool, r.output);
    assert.match(html, new RegExp(`data-dw-tool="${tool}"`));
    assert.doesNotMatch(html, /undefined|NaN|\[object Object\]/, `${tool} renders a missing value badly`);
    assert.doesNotMatch(html, /<script>/);
    assert.doesNotMatch(html, /^<div[^>]*><pre>/, `${tool} falls back to the generic JSON view`);
  }
  // An interaction step says what it multiplies.
  const pipeline = outputs.find(([tool]) => tool === "create_feature_pipeline")![1];
  assert.match(renderResultHtml("create_feature_pipeline", pipeline.ok ? pipeline.output : {}), /temp_min\*wind<\/td><td[^>]*>interaction of temp_min × wind</);
});

const HOSTILE = `<script>alert("&")</script>'`;
const ESCAPED = "&lt;script&gt;alert(&quot;&amp;&quot;)&lt;/script&gt;&#39;";

test("every renderer escapes the text in an output: markup, ampersands and quotes never reach the page as they are", () => {
  for (const [tool, r] of outputs) {
    assert.ok(r.ok);
    const schema = getTool(tool)!.output;
    // Each text value, and each name of a free-form record (metric names, aliases), gets the
    // hostile text appended wherever the output stays valid under the tool's schema.
    const hostile = structuredClone(r.output);
    let planted = 0;
    const plant = (holder: Record<string, unknown> | unknown[], key: string | number) => {
      const value = (holder as Record<string | number, unknown>)[key];
      if (typeof value === "string") {
        (holder as Record<string | number, unknown>)[key] = value + HOSTILE;
        if (schema.safeParse(hostile).success) planted++;
        else (holder as Record<string | number, unknown>)[key] = value;
      } else if (Array.isArray(value)) {
        value.forEach((_, i) => plant(value, i));
      } else if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        for (const k of Object.keys(record)) {
          plant(record, k);
          record[k + HOSTILE] = record[k];
          delete record[k];
          if (!schema.safeParse(hostile).success) {
            record[k] = record[k + HOSTILE];
            delete record[k + HOSTILE];
          }
        }
      }
    };
    for (const k of Object.keys(hostile)) plant(hostile, k);
    assert.ok(planted > 0, `${tool}: no text field took the hostile value`);
    const html = renderResultHtml(tool, hostile);
    assert.ok(!html.includes("<script"), `${tool} lets markup through: ${html.slice(html.indexOf("<script") - 80, html.indexOf("<script") + 40)}`);
    assert.ok(!html.includes(`"&"`) && !html.includes(`'<`), `${tool} lets a quote or an ampersand through`);
    assert.ok(html.includes(ESCAPED), `${tool} shows no user text, or not escaped exactly once`);
    assert.ok(!html.includes("&amp;lt;"), `${tool} escapes some text twice`);
  }
});
