import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { tools } from "../../../src/index.js";
import { connectStdio, type StdioSession } from "./mcpClients.js";
import { freePort } from "../platforms/mlflow/mlflowServer.js";

// The "an MCP client lists and calls every tool": every tool of allTools.ts called through
// the SDK's own client over stdio, on real data, in the order an agent would use them. The client
// checks each structured result against the tool's published output schema, so a tool whose real
// output does not match what tools/list promised fails here. sync_mlflow is called against a port
// nothing listens on (a real MLflow server is in test/src/platforms/mlflow): its answer is the tool
// error an agent gets, carrying dw's code.

let tw: TempWorkspace;
let mcp: StdioSession;
let elsewhere: string;
const called = new Set<string>();

before(async () => {
  tw = await makeTempWorkspace("dw-mcp-every-");
  elsewhere = await mkdtemp(join(tmpdir(), "dw-mcp-every-out-"));
  mcp = await connectStdio(tw.dir);
});
after(async () => {
  await mcp?.close();
  await tw?.cleanup();
  await rm(elsewhere, { recursive: true, force: true });
});

type Call = { isError?: boolean; structuredContent?: Record<string, any>; content: { type: string; text?: string }[] };

async function call(name: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const r = (await mcp.client.callTool({ name, arguments: args }, undefined, { timeout: 180_000 })) as Call;
  called.add(name);
  if (r.isError) assert.fail(`${name} failed: ${JSON.stringify(r.content)}`);
  assert.ok(r.structuredContent, `${name} answers with structured content`);
  assert.ok(
    r.content.some((c) => c.type === "text" && (c.text ?? "").length > 0),
    `${name} answers with a line of text`,
  );
  return r.structuredContent;
}

test("an MCP client calls every tool dw lists, and each real result matches the tool's output schema", { timeout: 15 * 60_000 }, async () => {
  const listed = (await mcp.client.listTools()).tools.map((t) => t.name).sort();
  assert.deepEqual(listed, tools.map((t) => t.name).sort());

  const people = ["customer_id,email,phone"];
  for (let i = 0; i < 40; i++) people.push(`${1000 + i},user${i}@example.com,"(212) 555-${1000 + i}"`);
  await writeFile(join(tw.dir, "data", "customers.csv"), `${people.join("\n")}\n`);
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
  await call("select_model", { dataset_id: "w", target: "weather", quick: true, folds: 2 });
  await call("create_experiment", { name: "e1" });
  await call("create_feature_pipeline", {
    name: "basic",
    dataset_id: "w",
    features: ["temp_min", "wind"],
    steps: [{ column: "temp_min*wind", transform: "interaction", inputs: ["temp_min", "wind"] }],
  });
  const a = await call("train_model", { dataset_id: "w", target: "temp_max", features: ["temp_min", "wind"], experiment: "e1" });
  const b = await call("train_model", { dataset_id: "w", target: "weather", algorithm: "decision_tree", hyperparameters: { max_depth: 4 } });
  await call("train_model", { dataset_id: "w", target: "temp_max", features: ["temp_min"], experiment: "e1" });
  await call("log_metrics", { run_id: a.run_id, metrics: { loss: 0.5 }, step: 1 });
  await call("compare_experiments", { experiment: "e1" });
  await call("get_run_history", { run_id: a.run_id });
  await call("reproduce_run", { model_id: b.run_id });
  await call("evaluate_model", { model_id: b.run_id });
  await call("explain_model", { model_id: b.run_id, n_repeats: 2, max_rows: 300 });
  await call("register_model", { model_id: b.run_id, model_name: "kind" });
  await call("get_model_versions", { model_name: "kind" });
  await call("list_runs", { limit: 5 });
  await call("get_lineage", { dataset_id: "w" });
  await call("request_approval", { model_name: "kind", version: 1, alias: "production", reason: "the tree reads well, please approve" });
  await call("request_governance_review", { model_name: "kind", version: 1, decision: "approve", reason: "checked the tree by hand" });
  await call("deploy_model", { model_name: "kind", version: 1, alias: "production" });
  await call("get_gate_reports", {});
  await call("suggest_next_steps", {});
  await call("detect_model_drift", { model_id: "kind@production", dataset_id: "w" });
  await call("predict", { model_id: "kind@production" });
  const b2 = await call("train_model", { dataset_id: "w", target: "weather", algorithm: "decision_tree", hyperparameters: { max_depth: 3 } });
  await call("register_model", { model_id: b2.run_id, model_name: "kind" });
  await call("ab_test_models", { model_a_id: "kind/1", model_b_id: "kind/2", alias: "production", traffic_split: 0.5 });
  await call("ab_test_models", { action: "stop", model_name: "kind", alias: "production" });
  await call("retrain_model", { model_id: "kind@production", and_then: "none" });
  await call("productionize", { run_id: a.run_id, alias: "staging" });
  await call("undeploy_model", { model_name: "temp_max", alias: "staging" });
  await call("get_workspace_state", {});
  await call("get_ml_status", {});
  await call("export_model", { model_id: "kind@production", onnx: join(elsewhere, "kind.onnx") });
  const remote = join(elsewhere, "team.git");
  execFileSync("git", ["init", "-q", "--bare", remote]);
  await call("push_registry", { remote });
  await call("pull_registry", { remote });

  const closed = await freePort();
  const r = (await mcp.client.callTool({ name: "sync_mlflow", arguments: { url: `http://127.0.0.1:${closed}` } })) as Call;
  called.add("sync_mlflow");
  assert.equal(r.isError, true);
  assert.match(r.content.map((c) => c.text ?? "").join("\n"), /CONNECTION_ERROR/);

  assert.deepEqual(
    listed.filter((n) => !called.has(n)),
    [],
    "a tool this test does not call through MCP",
  );
});
