import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace, stopWorkspaceServer } from "../../helpers/tempWorkspace.js";
import { ok, err } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { assertNoStack, rawRequest, score } from "../server/serverFixture.js";
import { startServe } from "../server/serveProcess.js";
import { authHeaders } from "../../../src/server/token.js";

// undeploy_model against a real `dw serve` that deploy_model started, as a user meets it: the
// endpoint answers 404, the listings drop it, the pinned URL of the version still answers, and
// deploy_model serves the alias again.

let tw: TempWorkspace;
let ctx: ToolContext;
let base: string;
const ROW = { dataframe_split: { columns: ["temp_min", "wind"], data: [[5, 4.7]] } };

before(async () => {
  tw = await makeTempWorkspace("dw-undeploy-tool-");
  ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx));
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "temp" }, ctx));
  base = ok(await runTool("deploy_model", { model_name: "temp", version: 1, alias: "production" }, ctx)).server_url;
  ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "staging" }, ctx));
});
after(() => tw.cleanup());

/** The version the server answers with for a metadata path, or its status when it does not serve it. */
async function served(path: string): Promise<number | string> {
  const r = await rawRequest(base, { path });
  return r.status === 200 ? (JSON.parse(r.body) as { version: number }).version : `status ${r.status}`;
}

test("dw undeploy_model stops the endpoint: 404 at once, gone from the listings, the pinned version still served", async () => {
  assert.equal(await served("/models/temp@staging"), 2);
  const cli = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), "undeploy_model", "--name", "temp", "--alias", "staging"], {
    cwd: tw.dir,
    encoding: "utf8",
  });
  assert.equal(cli.status, 0, cli.stderr + cli.stdout);
  const u = JSON.parse(cli.stdout);
  assert.equal(u.model_name, "temp");
  assert.equal(u.alias, "staging");
  assert.equal(u.version, 2);
  assert.equal(u.server_url, base, "the running server was checked");
  assert.deepEqual(u.still_served, { production: 1 });
  assert.equal(u.version_url, `${base}/models/temp/2/invocations`);

  assert.equal(await served("/models/temp@staging"), "status 404");
  const scored = await score(base, "/models/temp@staging/invocations", ROW);
  assert.equal(scored.status, 404);
  assert.equal(scored.json.error_code, "RESOURCE_DOES_NOT_EXIST");
  assertNoStack(scored.text);
  assert.doesNotMatch(scored.text, /undeploy|staging/, "a 404 tells an outsider nothing about what was there");
  // The other alias, and the version's pinned URL (it passed a deploy gate once), still answer.
  assert.equal(await served("/models/temp@production"), 1);
  assert.equal(await served("/models/temp/2"), 2);
  assert.equal((await score(base, "/models/temp/2/invocations", ROW)).status, 200);

  const versions = ok(await runTool("get_model_versions", { model_name: "temp" }, ctx));
  assert.deepEqual(versions.aliases, { production: 1 });
  assert.deepEqual(
    versions.versions.map((v: { version: number; aliases: string[] }) => [v.version, v.aliases]),
    [
      [2, []],
      [1, ["production"]],
    ],
  );
  const state = ok(await runTool("get_workspace_state", {}, ctx));
  assert.deepEqual(
    state.endpoints.map((e: { model: string; alias: string; version: number }) => `${e.model}@${e.alias} v${e.version}`),
    ["temp@production v1"],
  );
});

test("undeploying an alias that is not served is NOT_FOUND and says what is served and how to serve it", async () => {
  const e = err(await runTool("undeploy_model", { model_name: "temp", alias: "staging" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.message, /^temp@staging is not served, so there is nothing to undeploy: it was undeployed at /);
  assert.match(e.hint ?? "", /production \(v1\).*%dw deploy_model --name temp --alias staging/);
  assert.equal(await served("/models/temp@production"), 1, "a refused undeploy changes nothing");
});

test("deploy_model serves an undeployed alias again", async () => {
  const d = ok(await runTool("deploy_model", { model_name: "temp", version: 2, alias: "staging" }, ctx));
  assert.equal(d.previous_version, null);
  assert.equal(await served("/models/temp@staging"), 2);
  const scored = await score(base, "/models/temp@staging/invocations", ROW);
  assert.equal(scored.status, 200);
  assert.deepEqual(scored.json, (await score(base, "/models/temp/2/invocations", ROW)).json);
  assert.deepEqual(ok(await runTool("get_model_versions", { model_name: "temp" }, ctx)).aliases, { production: 1, staging: 2 });
});

test("against a server that checks a token, undeploy_model asks with it and sees the alias stop", async () => {
  await stopWorkspaceServer(tw.dir);
  const running = await startServe(tw.dir, ["--host", "0.0.0.0"]);
  try {
    const headers = await authHeaders(ctx.workspace);
    assert.ok(headers.Authorization, "the server checks a token");
    assert.equal((await rawRequest(running.base, { path: "/models/temp@staging", headers })).status, 200);
    const u = ok(await runTool("undeploy_model", { model_name: "temp", alias: "staging" }, ctx));
    assert.equal(u.server_url, running.url);
    assert.equal((await rawRequest(running.base, { path: "/models/temp@staging", headers })).status, 404);
    assert.equal((await rawRequest(running.base, { path: "/models/temp@production", headers })).status, 200);
  } finally {
    await running.stop();
  }
});
