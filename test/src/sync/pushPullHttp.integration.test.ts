import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { err, ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { getTool } from "../../../src/tools/allTools.js";
import { readAliases } from "../../../src/registry/readRegistry.js";
import { bareGit, createBareRepository, startGitHttpServer, type GitHttpServer } from "../gitRemote/gitHttpServer.js";

// push_registry and pull_registry as a user calls them, over a real git smart HTTP server
// (git http-backend): versions registered on both clones stay uniquely numbered, and the second
// push is a CONFLICT tool error carrying both sides.

let dir: string;
let server: GitHttpServer;
let bare: string;
let url: string;
let A: TempWorkspace;
let B: TempWorkspace;
let a: ToolContext;
let b: ToolContext;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-synchttp-"));
  bare = createBareRepository(dir, "team.git");
  server = await startGitHttpServer({ root: dir });
  url = server.url("team.git");
  A = await makeTempWorkspace("dw-synchttp-a-");
  B = await makeTempWorkspace("dw-synchttp-b-");
  for (const [t, who] of [
    [A, "Ada"],
    [B, "Bob"],
  ] as const) {
    execFileSync("git", ["init", "-q", t.dir]);
    execFileSync("git", ["-C", t.dir, "remote", "add", "origin", url]);
    execFileSync("git", ["-C", t.dir, "config", "user.name", who]);
  }
  a = await createToolContext({ cwd: A.dir });
  b = await createToolContext({ cwd: B.dir });
});
after(async () => {
  await server?.close();
  await A?.cleanup();
  await B?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

test("over HTTP: push, pull, a concurrent version refused as a CONFLICT with both sides, renumbered by pull, then shared", async () => {
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, a));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"] }, a)).run_id;
  ok(await runTool("register_model", { model_id: run, model_name: "temp", alias: "champion" }, a));
  const pushed = ok(await runTool("push_registry", {}, a));
  assert.equal(pushed.remote, "origin");
  assert.deepEqual(pushed.versions, ["temp/1"]);
  assert.equal(pushed.data.shared_cache, null);
  assert.equal(pushed.data.staying_local[0].dataset_id, "weather", "without a shared cache the data is named as staying local");
  assert.equal(bareGit(bare, "rev-parse", "refs/dw/models/temp/1").trim(), await a.workspace.readRef("refs/dw/models/temp/1"));

  const pulled = ok(await runTool("pull_registry", { remote: "origin" }, b));
  assert.deepEqual(pulled.aliases, { "temp@champion": 1 });
  assert.equal(pulled.data.missing[0].sha256.length, 64);
  const html = String(getTool("pull_registry")?.render?.(pulled as never));
  assert.match(html, /Pulled from/);

  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, a));
  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, b));
  ok(await runTool("push_registry", { remote: "origin" }, a));
  const refused = err(await runTool("push_registry", { remote: "origin" }, b));
  assert.equal(refused.code, "CONFLICT");
  const conflicts = (refused.details ?? {}).conflicts as { ref: string; ours: { by?: string }; theirs: { by?: string } }[];
  assert.deepEqual(
    conflicts.map((c) => c.ref),
    ["refs/dw/models/temp/2"],
  );
  assert.match(conflicts[0].ours.by ?? "", /^Bob/);
  assert.match(conflicts[0].theirs.by ?? "", /^Ada/);

  const renumbered = ok(await runTool("pull_registry", { remote: "origin" }, b));
  assert.deepEqual(
    renumbered.renumbered.map((r: { from: number; to: number }) => [r.from, r.to]),
    [[2, 3]],
  );
  ok(await runTool("push_registry", { remote: "origin" }, b));
  assert.deepEqual(ok(await runTool("pull_registry", { remote: "origin" }, a)).versions, ["temp/3"]);
  assert.deepEqual(await readAliases(a.workspace, "temp"), { champion: 1 });
  // take_theirs naming what is not in conflict is refused before anything moves.
  const bad = err(await runTool("pull_registry", { remote: "origin", take_theirs: ["temp@champion"] }, a));
  assert.equal(bad.code, "INVALID_INPUT");
});
