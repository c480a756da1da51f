import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { tools } from "../../../src/tools/allTools.js";
import { DW_VERSION } from "../../../src/version.js";
import { ok } from "../../helpers/results.js";
import { connectStdio, type StdioSession } from "./mcpClients.js";

// dw mcp over stdio, driven by the SDK's own client as a desktop agent drives it: the tools with
// their generated schemas, a read-only call, tool errors, the registry as resources, the prompts.

let tw: TempWorkspace;
let mcp: StdioSession;
let runId: string;

before(async () => {
  tw = await makeTempWorkspace("dw-mcp-");
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  runId = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"], algorithm: "linear_regression" },
      ctx,
    ),
  ).run_id;
  ok(await runTool("register_model", { model_id: runId, model_name: "temp", description: "daily high" }, ctx));
  mcp = await connectStdio(tw.dir);
});
after(async () => {
  await mcp?.close();
  await tw.cleanup();
});

test("initialize: the server names itself dw at dw's version and offers tools, resources and prompts", () => {
  assert.deepEqual(mcp.client.getServerVersion()?.name, "dw");
  assert.equal(mcp.client.getServerVersion()?.version, DW_VERSION);
  const caps = mcp.client.getServerCapabilities();
  assert.ok(caps?.tools && caps.resources && caps.prompts);
  assert.match(mcp.client.getInstructions() ?? "", /train_model/);
  assert.match(mcp.stderr(), /serving the workspace .* over stdio/);
});

test("tools/list has every tool of allTools.ts, with the schemas of schema/tools/<name>.json and hints from its effect", async () => {
  const { tools: listed } = await mcp.client.listTools();
  assert.deepEqual(
    listed.map((t) => t.name),
    tools.map((t) => t.name),
  );
  for (const t of listed) {
    const file = JSON.parse(await readFile(join(repoRoot, "schema", "tools", `${t.name}.json`), "utf8"));
    assert.equal(t.description, file.description, t.name);
    for (const side of ["input_schema", "output_schema"]) {
      assert.equal(
        file[side].type,
        "object",
        `${t.name}'s ${side} is not an object schema: MCP takes only type "object" at the top (a z.discriminatedUnion makes oneOf); make the tool's ${side === "input_schema" ? "input" : "output"} a z.object (e.g. the variants' fields optional beside a discriminating field), or have src/schema/toolSchemas.ts write type "object" at the top of a union of objects`,
      );
    }
    assert.deepEqual(t.inputSchema, file.input_schema, `${t.name} input`);
    assert.deepEqual(t.outputSchema, file.output_schema, `${t.name} output`);
    const { effect, writesOutside, replaces } = tools.find((d) => d.name === t.name)!.annotations;
    assert.equal(t.annotations?.readOnlyHint, effect === "reads" && !writesOutside, t.name);
    assert.equal(t.annotations?.destructiveHint, effect === "serves" || replaces === true, t.name);
    assert.ok(t.title && t.title.length > 3, t.name);
  }
  const byName = new Map(listed.map((t) => [t.name, t]));
  assert.equal(byName.get("get_ml_status")?.title, "Get ML status");
  assert.equal(byName.get("get_model_versions")?.annotations?.idempotentHint, true);
  assert.equal(byName.get("deploy_model")?.annotations?.openWorldHint, true);
  assert.equal(byName.get("train_model")?.annotations?.readOnlyHint, false);
  // What effect alone cannot say: an export writes files, a load may re-point a dataset id, an
  // experiment is made once, a schema may come from PostgreSQL.
  assert.equal(byName.get("export_model")?.annotations?.readOnlyHint, false);
  assert.equal(byName.get("load_dataset")?.annotations?.destructiveHint, true);
  assert.equal(byName.get("create_experiment")?.annotations?.idempotentHint, true);
  assert.equal(byName.get("get_table_schema")?.annotations?.openWorldHint, true);
});

test("a read-only tool answers with its output as structured content (checked by the client against the output schema) and a line of text", async () => {
  const r = await mcp.client.callTool({ name: "get_model_versions", arguments: { model_name: "temp" } });
  assert.notEqual(r.isError, true);
  const out = r.structuredContent as { versions: { version: number; run_id: string }[] };
  assert.equal(out.versions.length, 1);
  assert.equal(out.versions[0].version, 1);
  assert.equal(out.versions[0].run_id, runId);
  const content = r.content as { type: string; text: string }[];
  assert.match(content[0].text, /^get_model_versions succeeded: /);
  assert.ok(content[0].text.split("\n").length <= 2);
  assert.deepEqual(JSON.parse(content[1].text), out);
});

test("a tool error is an MCP tool error carrying dw's code, message and hint; an unknown tool is a protocol error", async () => {
  const r = await mcp.client.callTool({ name: "get_model_versions", arguments: { model_name: "wind" } });
  assert.equal(r.isError, true);
  const text = (r.content as { text: string }[])[0].text;
  assert.match(text, /^get_model_versions failed with NOT_FOUND: No registered model named 'wind'\./);
  assert.match(text, /Hint: Registered models: temp\./);
  const error = (r._meta as Record<string, { code: string; hint: string; details: unknown }>)["dw/error"];
  assert.equal(error.code, "NOT_FOUND");
  assert.deepEqual(error.details, { field: "model_name" });
  assert.equal(r.structuredContent, undefined);

  const bad = await mcp.client.callTool({ name: "train_model", arguments: { dataset_id: "weather", target: "temp_max", algorithm: "quantum" } });
  assert.equal(bad.isError, true);
  assert.equal((bad._meta as Record<string, { code: string }>)["dw/error"].code, "INVALID_INPUT");

  await assert.rejects(
    mcp.client.callTool({ name: "no_such_tool", arguments: {} }),
    (e: unknown) => e instanceof McpError && e.code === -32602 && /no tool 'no_such_tool'/.test(e.message),
  );
});

test("resources: the registry, runs and gate reports are listed and readable by dw:// address", async () => {
  const { resources } = await mcp.client.listResources();
  const uris = resources.map((r) => r.uri);
  for (const u of ["dw://models", "dw://runs", "dw://deployments", "dw://models/temp", "dw://models/temp/1", `dw://runs/${runId}`])
    assert.ok(uris.includes(u), u);
  assert.ok(resources.every((r) => r.mimeType === "application/json"));
  const { resourceTemplates } = await mcp.client.listResourceTemplates();
  assert.ok(resourceTemplates.some((t) => t.uriTemplate === "dw://models/{name}/{version}"));
  assert.ok(resourceTemplates.some((t) => t.uriTemplate === "dw://runs/{run_id}/gates/{gate}"));

  const read = async (uri: string) => {
    const r = await mcp.client.readResource({ uri });
    assert.equal(r.contents[0].uri, uri);
    assert.equal(r.contents[0].mimeType, "application/json");
    return JSON.parse((r.contents[0] as { text: string }).text);
  };
  const models = await read("dw://models");
  assert.deepEqual(models.models, [{ name: "temp", uri: "dw://models/temp", versions: [1], aliases: {} }]);
  const version = await read("dw://models/temp/1");
  assert.equal(version.registration.run_id, runId);
  assert.equal(version.model_card.algorithm, "linear_regression");
  assert.equal(version.model_card.description, "daily high");
  assert.equal(version.run, `dw://runs/${runId}`);
  assert.equal(typeof version.metrics.r2, "number");
  const run = await read(version.run);
  assert.equal(run.run.run_id, runId);
  assert.equal(run.params.algorithm, "linear_regression");
  assert.equal(run.metrics.r2, version.metrics.r2);
  assert.equal(run.gates.quality, `dw://runs/${runId}/gates/quality`);
  const quality = await read(run.gates.quality);
  assert.equal(quality.gate, "quality");
  assert.ok(["pass", "warn"].includes(quality.status));

  await assert.rejects(
    mcp.client.readResource({ uri: "dw://models/temp/7" }),
    (e: unknown) => e instanceof McpError && e.code === -32002 && /no version 7/.test(e.message),
  );
  await assert.rejects(mcp.client.readResource({ uri: "dw://models/a..b" }), (e: unknown) => e instanceof McpError && e.code === -32602);
  await assert.rejects(mcp.client.readResource({ uri: "https://example.com/x" }), (e: unknown) => e instanceof McpError && e.code === -32602);
  await assert.rejects(
    mcp.client.readResource({ uri: `dw://runs/${runId}/gates/speed` }),
    (e: unknown) => e instanceof McpError && e.code === -32002 && /Its gate reports: quality/.test(e.message),
  );
});

test("prompts: the workflow from suggest_features to detect_model_drift, with the arguments quoted as values", async () => {
  const { prompts } = await mcp.client.listPrompts();
  assert.deepEqual(
    prompts.map((p) => p.name),
    ["train_and_deploy", "investigate_drift"],
  );
  const p = await mcp.client.getPrompt({ name: "train_and_deploy", arguments: { dataset_id: "weather", target: "temp_max", model_name: "temp" } });
  const text = (p.messages[0].content as { text: string }).text;
  const order = ["suggest_features", "select_model", "train_model", "register_model", "deploy_model", "detect_model_drift"].map((t) => text.indexOf(`${t} {`));
  assert.ok(
    order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])),
    `steps in order: ${order}`,
  );
  assert.match(text, /"dataset_id": "weather", "target": "temp_max"/);
  assert.match(text, /"model_id": "temp@production"/);
  const drift = await mcp.client.getPrompt({ name: "investigate_drift", arguments: { model_name: "temp" } });
  assert.match((drift.messages[0].content as { text: string }).text, /dw:\/\/deployments\/temp\/production/);
  await assert.rejects(
    mcp.client.getPrompt({ name: "train_and_deploy", arguments: { dataset_id: "weather", target: "t", model_name: "bad name" } }),
    /model_name 'bad name' is not valid/,
  );
  await assert.rejects(mcp.client.getPrompt({ name: "train_and_deploy", arguments: { dataset_id: "weather" } }), /needs the argument target/);
});

test("closing the client ends the server process", async () => {
  const { pid } = mcp;
  await mcp.close();
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    try {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      alive = false;
    }
  }
  assert.equal(alive, false, "dw mcp still runs after its stdin closed");
});
