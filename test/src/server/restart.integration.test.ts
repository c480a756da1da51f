import { test, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace, stopWorkspaceServer } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { readAliases, type UndeploymentRecord } from "../../../src/registry/readRegistry.js";
import { aliasRef, deploymentRef } from "../../../src/registry/refs.js";
import { commitMessage } from "../../../src/workspace/commitMessage.js";
import { documentText } from "../../../src/workspace/documentText.js";
import { rawRequest, score } from "./serverFixture.js";
import { startServe } from "./serveProcess.js";

// A restarted `dw serve` serves exactly the aliases the registry names, and nothing else: not an
// alias that was undeployed, nor one whose undeployment was cut short by a kill (its record
// written, its alias ref not yet deleted), nor a version never deployed, nor a model never deployed.

const tw = await makeTempWorkspace("dw-restart-");
after(() => tw.cleanup());

const ROW = { dataframe_split: { columns: ["temp_min", "wind"], data: [[5, 4.7]] } };

test("a restarted server serves exactly the aliases the registry says, after undeployments finished or cut short", { timeout: 180_000 }, async () => {
  const ctx = await createToolContext({ cwd: tw.dir });
  const ws = ctx.workspace;
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx)).run_id;
  for (let i = 0; i < 3; i++) ok(await runTool("register_model", { model_id: run, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: run, model_name: "other" }, ctx));
  ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "production" }, ctx));
  ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "staging" }, ctx));
  ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "canary" }, ctx));
  // An alias pointed at by register_model alone (no deployment record) is served too: the server follows aliases.
  ok(await runTool("register_model", { model_id: run, model_name: "temp", alias: "shadow" }, ctx));
  ok(await runTool("undeploy_model", { model_name: "temp", alias: "canary" }, ctx));
  // staging's undeployment killed between its record and the deletion of its alias ref.
  const staging = (await ws.readRef(deploymentRef("temp", "staging")))!;
  const rec: UndeploymentRecord = {
    model_name: "temp",
    alias: "staging",
    version: null,
    undeployed_at: new Date().toISOString(),
    undeployed_by: "someone",
    undeployed_version: 2,
  };
  await ws.commit({
    ref: deploymentRef("temp", "staging"),
    message: commitMessage("dw undeploy temp@staging (was v2)", [], { "Dw-Model": "temp", "Dw-Alias": "staging", "Dw-Tool": "undeploy_model" }),
    parents: [staging],
    files: { "deployment.json": documentText(rec) },
  });
  assert.ok(await ws.readRef(aliasRef("temp", "staging")), "the kill left the alias ref");

  const registry = await readAliases(ws, "temp");
  assert.deepEqual(registry, { production: 1, shadow: 4 });
  assert.deepEqual(ok(await runTool("get_model_versions", { model_name: "temp" }, ctx)).aliases, registry);
  assert.deepEqual(await readAliases(ws, "other"), {});

  await stopWorkspaceServer(tw.dir);
  const server = await startServe(tw.dir, []);
  try {
    assert.equal(await ws.readRef(aliasRef("temp", "staging")), null, "the restarted server finished the cut-short undeployment");
    const candidates = new Set([...(await ws.listRefs("refs/dw/aliases/temp")), ...(await ws.listRefs("refs/dw/deployments/temp")), "never", "latest"]);
    assert.deepEqual([...candidates].sort(), ["canary", "latest", "never", "production", "shadow", "staging"]);
    const served: Record<string, number> = {};
    for (const alias of candidates) {
      const meta = await rawRequest(server.base, { path: `/models/temp@${alias}` });
      const scored = await score(server.base, `/models/temp@${alias}/invocations`, ROW);
      assert.equal(scored.status, meta.status, `temp@${alias}: scoring and metadata agree`);
      if (meta.status === 200) served[alias] = JSON.parse(meta.body).version;
      else assert.equal(meta.status, 404, `temp@${alias}`);
    }
    assert.deepEqual(served, registry, "the aliases served are the registry's, at its versions");
    // Pinned: the versions that passed a deploy gate (1, 2 and 4), not 3, which never did; the
    // model that was never deployed, at no path.
    const pinned: Record<number, number> = {};
    for (const v of [1, 2, 3, 4, 5]) pinned[v] = (await rawRequest(server.base, { path: `/models/temp/${v}` })).status;
    assert.deepEqual(pinned, { 1: 200, 2: 200, 3: 404, 4: 200, 5: 404 });
    for (const path of ["/models/other@production", "/models/other/1"]) assert.equal((await rawRequest(server.base, { path })).status, 404, path);
  } finally {
    await server.stop();
  }
});
