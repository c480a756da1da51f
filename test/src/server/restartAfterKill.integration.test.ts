import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { runTool } from "../../../src/index.js";
import { findServer } from "../../../src/server/ensureServer.js";
import { aliasRef, deploymentRef } from "../../../src/registry/refs.js";
import type { DeploymentRecord } from "../../../src/registry/readRegistry.js";
import { commitMessage } from "../../../src/workspace/commitMessage.js";
import { documentText } from "../../../src/workspace/documentText.js";
import { rawRequest, score } from "./serverFixture.js";
import { deployTwoVersions, startLoad } from "./hotSwapLoad.js";

// kill -9 in the middle of an alias move, then a restart. A deploy of temp v2 at production that
// died after writing its deployment commit and before moving the alias ref leaves exactly this on
// disk: the record names v2, the alias ref still names v1. That state is written here with the
// workspace's own API (a real SIGKILL of a deploy at a chosen instant is in
// test/src/workspace/crashSafety.integration.test.ts). Under load, the workspace's real `dw serve`
// is then killed with SIGKILL. Its `.dw/server.json` stays behind; the next ensureServer must see
// that it is stale and start a server that serves the version the registry names, with the alias
// ref brought in line.

const tw = await makeTempWorkspace("dw-kill9-");
after(() => tw.cleanup());

/** Resolves once process `pid` is gone (a SIGKILLed child is reaped by our own event loop). */
async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`process ${pid} still runs 5 s after SIGKILL`);
}

test("a server killed with SIGKILL during an alias move is replaced by one that serves the version the deployment record names", {
  timeout: 180_000,
}, async () => {
  const { ctx, base, bodies, versionOf } = await deployTwoVersions(tw.dir);
  const ws = ctx.workspace;
  const infoPath = join(tw.dir, ".dw", "server.json");
  const killed = JSON.parse(await readFile(infoPath, "utf8")) as { pid: number; url: string };
  assert.equal(killed.url, base);
  const v1 = (await ws.readRef("refs/dw/models/temp/1"))!;
  const v2 = (await ws.readRef("refs/dw/models/temp/2"))!;
  assert.equal(await ws.readRef(aliasRef("temp", "production")), v1);

  const load = startLoad(base, "/models/temp@production/invocations", bodies, 6);
  await load.moreAnswers(30);
  // What a deploy of v2 leaves when killed between its two writes: its record, and the alias ref unmoved.
  const last = (await ws.readRef(deploymentRef("temp", "production")))!;
  const rec: DeploymentRecord = { model_name: "temp", alias: "production", version: 2, deployed_at: new Date().toISOString() };
  await ws.commit({
    ref: deploymentRef("temp", "production"),
    message: commitMessage("dw deploy temp@production -> v2 (was v1)", [], {
      "Dw-Model": "temp",
      "Dw-Version": 2,
      "Dw-Alias": "production",
      "Dw-Governance": "allow",
    }),
    parents: [last],
    files: { "deployment.json": documentText(rec) },
  });
  const recorded = performance.now();
  await load.moreAnswers(30);
  process.kill(killed.pid, "SIGKILL");
  await gone(killed.pid);
  await load.stop();

  const answered = load.answers.filter((a) => a.status !== 0);
  assert.ok(answered.length >= 60);
  assert.deepEqual(
    answered.filter((a) => a.status !== 200).map((a) => a.status),
    [],
    "every request the killed server answered was a 200",
  );
  assert.equal(answered.filter((a) => versionOf(a) === null).length, 0, "every answer is wholly v1's or v2's");
  // The record decides at once: what passed the gate and loaded is served, before the alias ref moves.
  const afterRecord = answered.filter((a) => a.started >= recorded);
  assert.ok(afterRecord.length >= 20);
  assert.deepEqual(new Set(afterRecord.map(versionOf)), new Set([2]), "requests sent after the record was written are v2's");
  // The connections the kill cut are failures of the client's, never an answer: nothing else was sent.
  assert.ok(load.answers.every((a) => a.status === 200 || a.status === 0));

  // The killed server's record stays behind, naming a dead process: it is seen to be stale.
  assert.equal(JSON.parse(await readFile(infoPath, "utf8")).pid, killed.pid);
  assert.equal(await findServer(ws), null);
  assert.equal(ok(await runTool("get_workspace_state", {}, ctx)).server, null);
  assert.equal(await ws.readRef(aliasRef("temp", "production")), v1, "nothing has finished the move yet");
  assert.deepEqual(ok(await runTool("get_model_versions", { model_name: "temp" }, ctx)).aliases, { production: 2, staging: 2 });

  // The next ensureServer (what deploy_model and the kernel call) starts a new server.
  const started = await ctx.ensureServer();
  assert.notEqual(started.pid, killed.pid);
  const info = JSON.parse(await readFile(infoPath, "utf8"));
  assert.equal(info.pid, started.pid, ".dw/server.json now names the new server");
  assert.equal(info.url, started.url);
  assert.equal(await ws.readRef(aliasRef("temp", "production")), v2, "the new server brought the alias ref in line with the record");
  const meta = await rawRequest(started.url, { path: "/models/temp@production" });
  assert.equal(meta.status, 200);
  assert.equal(JSON.parse(meta.body).version, 2);
  for (const body of bodies) {
    const r = await score(started.url, "/models/temp@production/invocations", body);
    assert.equal(r.status, 200, r.text);
    assert.equal(versionOf({ body, predictions: r.json.predictions }), 2);
  }
  assert.equal((await findServer(ws))?.pid, started.pid);
});
