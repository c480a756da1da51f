import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok, err } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { undeployAlias } from "../../../src/deployment/undeployAlias.js";
import { deployVersion } from "../../../src/deployment/deployVersion.js";
import { finishInterruptedMove, finishInterruptedMoves } from "../../../src/deployment/moveServedAlias.js";
import { lastDeployment, readAliases, readDeploymentRecord, resolveAlias, UndeploymentRecord, DeploymentRecord } from "../../../src/registry/readRegistry.js";
import { aliasRef, deploymentRef } from "../../../src/registry/refs.js";
import { commitMessage } from "../../../src/workspace/commitMessage.js";
import { documentText } from "../../../src/workspace/documentText.js";
import { isDwError } from "../../../src/errors/DwError.js";

// Undeploying an alias at the registry level, no server: the record it writes, the order of its
// two writes (the record first, then the alias ref goes), a kill between them, and serving the
// alias again. What a client of dw serve sees is in test/src/tools/undeployModel.integration.test.ts.

let tw: TempWorkspace;
let ctx: ToolContext;
let runId: string;

before(async () => {
  tw = await makeTempWorkspace("dw-undeploy-");
  ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  runId = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx)).run_id;
  ok(await runTool("register_model", { model_id: runId, model_name: "temp" }, ctx));
  ok(await runTool("register_model", { model_id: runId, model_name: "temp" }, ctx));
  await deployVersion(ctx, { model: "temp", version: 1, alias: "production" });
  await deployVersion(ctx, { model: "temp", version: 2, alias: "staging" });
});
after(() => tw.cleanup());

/** Where the thrown DwError says what went wrong. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isDwError(e), String(e));
    return e.toJSON();
  }
  return assert.fail("expected an error");
}

test("undeploying records who, when and the version, on the alias's deployment history, then deletes the alias ref", async () => {
  const ws = ctx.workspace;
  const before = await ws.readRef(deploymentRef("temp", "staging"));
  const u = await undeployAlias(ctx, { model: "temp", alias: "staging" });
  assert.equal(u.ref, "refs/dw/deployments/temp/staging");
  assert.equal(await ws.readRef(u.ref), u.commit);
  assert.deepEqual((await ws.readCommit(u.commit)).parents, [before], "the undeployment follows the alias's last deployment");
  const rec = await ws.readDocument(UndeploymentRecord, u.commit, "deployment.json");
  assert.deepEqual(rec, u.record);
  assert.equal(rec?.version, null);
  assert.equal(rec?.undeployed_version, 2);
  assert.equal(rec?.undeployed_at, u.record.undeployed_at);
  assert.ok(rec?.undeployed_by);
  // A reader that knows only deployment records finds no version in it.
  assert.equal(await readDeploymentRecord(ws, u.commit, "temp"), null);
  assert.match((await ws.readCommit(u.commit)).message, /^dw undeploy temp@staging \(was v2\)\n/);
  assert.equal(await ws.readRef(aliasRef("temp", "staging")), null, "the alias ref is gone");
  assert.equal(await resolveAlias(ws, "temp", "staging"), null);
  assert.deepEqual(await readAliases(ws, "temp"), { production: 1 });
  assert.deepEqual(u.stillServed, { production: 1 });
});

test("an alias that serves nothing cannot be undeployed, and the error says why, where and what is served", async () => {
  const again = await refusal(undeployAlias(ctx, { model: "temp", alias: "staging" }));
  assert.equal(again.code, "NOT_FOUND");
  assert.match(
    again.message,
    /^temp@staging is not served, so there is nothing to undeploy: it was undeployed at \S+ by .+ \(see git log refs\/dw\/deployments\/temp\/staging\)\.$/,
  );
  assert.match(again.hint ?? "", /served: production \(v1\)\..*%dw deploy_model --name temp --alias staging/);
  assert.equal(again.details?.field, "alias");

  const never = await refusal(undeployAlias(ctx, { model: "temp", alias: "canary" }));
  assert.equal(never.code, "NOT_FOUND");
  assert.match(never.message, /neither refs\/dw\/aliases\/temp\/canary nor refs\/dw\/deployments\/temp\/canary names a version of it/);

  const noModel = await refusal(undeployAlias(ctx, { model: "nope", alias: "production" }));
  assert.equal(noModel.code, "NOT_FOUND");
  assert.match(noModel.message, /No registered model named 'nope'/);
  assert.match(noModel.hint ?? "", /Registered models: temp\./);
  assert.equal(noModel.details?.field, "model_name");

  const bad = await refusal(undeployAlias(ctx, { model: "temp", alias: "../production" }));
  assert.equal(bad.code, "INVALID_INPUT");
  assert.equal(bad.details?.field, "alias");
  // Nothing was written by the refusals.
  assert.equal(await lastDeployment(ctx.workspace, "temp", "canary"), null);
  assert.deepEqual(await readAliases(ctx.workspace, "temp"), { production: 1 });
});

test("a deploy after an undeploy serves the alias again, recorded after the undeployment", async () => {
  const ws = ctx.workspace;
  const undeployed = await ws.readRef(deploymentRef("temp", "staging"));
  const d = await deployVersion(ctx, { model: "temp", version: 1, alias: "staging" });
  assert.equal(d.previous, null, "an undeployed alias served nothing before");
  assert.deepEqual((await ws.readCommit(d.deployment!)).parents, [undeployed]);
  assert.deepEqual(await resolveAlias(ws, "temp", "staging"), { version: 1, commit: await ws.readRef("refs/dw/models/temp/1") });
  assert.deepEqual(await readAliases(ws, "temp"), { production: 1, staging: 1 });
});

test("register_model --alias on an undeployed alias records a deployment, so the alias is served again", async () => {
  const ws = ctx.workspace;
  await undeployAlias(ctx, { model: "temp", alias: "staging" });
  const reg = ok(await runTool("register_model", { model_id: runId, model_name: "temp", alias: "staging" }, ctx));
  assert.deepEqual(await readAliases(ws, "temp"), { production: 1, staging: reg.version });
  const head = await ws.readRef(deploymentRef("temp", "staging"));
  assert.equal((await ws.readDocument(DeploymentRecord, head!, "deployment.json"))?.version, reg.version);
});

test("killed between its record and the alias ref, an undeployment already stops serving, and the next move or start finishes it", async () => {
  const ws = ctx.workspace;
  // The exact state a kill after the record's commit leaves: the record, and the alias ref still in place.
  const ref = deploymentRef("temp", "production");
  const aliasBefore = await ws.readRef(aliasRef("temp", "production"));
  const rec: UndeploymentRecord = {
    model_name: "temp",
    alias: "production",
    version: null,
    undeployed_at: new Date().toISOString(),
    undeployed_by: "someone",
    undeployed_version: 1,
  };
  await ws.commit({
    ref,
    message: commitMessage("dw undeploy temp@production (was v1)", [], { "Dw-Model": "temp", "Dw-Alias": "production" }),
    parents: [(await ws.readRef(ref))!],
    files: { "deployment.json": documentText(rec) },
  });
  assert.ok(aliasBefore);
  assert.equal(await ws.readRef(aliasRef("temp", "production")), aliasBefore, "the alias ref is where the kill left it");
  assert.equal(await resolveAlias(ws, "temp", "production"), null, "the record overrules the alias ref left behind");
  assert.equal(Object.hasOwn(await readAliases(ws, "temp"), "production"), false);
  // undeploy_model on it finishes the undeployment and says it serves nothing.
  const again = await refusal(undeployAlias(ctx, { model: "temp", alias: "production" }));
  assert.equal(again.code, "NOT_FOUND");
  assert.match(again.message, /it was undeployed at .* by someone/);
  assert.equal(await ws.readRef(aliasRef("temp", "production")), null, "the interrupted undeployment was finished");

  // The same state again, finished by what dw serve runs as it starts.
  await ws.writeRef(aliasRef("temp", "production"), aliasBefore);
  await ws.withLock(() => finishInterruptedMoves(ws));
  assert.equal(await ws.readRef(aliasRef("temp", "production")), null);
  // And by the next move of the alias, which then serves from nothing before.
  await ws.writeRef(aliasRef("temp", "production"), aliasBefore);
  assert.equal(await ws.withLock(() => finishInterruptedMove(ws, "temp", "production")), null);
  const d = await deployVersion(ctx, { model: "temp", version: 2, alias: "production" });
  assert.equal(d.previous, null);
  assert.equal((await resolveAlias(ws, "temp", "production"))?.version, 2);
});

test("undeploy_model through the tool runner: defaults to production, validates its input", async () => {
  const u = ok(await runTool("undeploy_model", { model_name: "temp" }, ctx));
  assert.equal(u.alias, "production");
  assert.equal(u.version, 2);
  assert.equal(u.server_url, null, "no server runs in this workspace, and none is started");
  assert.equal(u.version_url, undefined);
  const e = err(await runTool("undeploy_model", { model_name: "temp", alias: "production", extra: 1 }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
});
