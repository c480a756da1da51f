import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createComms } from "../../kernel/comms.js";
import { createToolCaller } from "../../kernel/createToolCaller.js";
import { createResultRegistry } from "../../kernel/display.js";
import type { Outputs } from "../../kernel/outputs.js";
import { createMessageFactory } from "../../kernel/jupyterProtocol/message.js";
import { KernelMessage, RefConflict } from "../../src/comm/protocol.js";
import { createToolContext, runTool, type ToolContext } from "../../src/index.js";
import { ok } from "../helpers/results.js";
import { makeTempWorkspace, type TempWorkspace } from "../helpers/tempWorkspace.js";

// The sidebar's Team registry over the kernel's real tool caller: a `share` message pushes or
// pulls refs/dw/* to a bare repository (the user's git over a plain path), and the frontend gets
// the tool's report, or its error with both sides of each conflict; `take` resolves a conflict on
// the side the action moves. Another clone (Bob's) is driven through the tools directly.

let dir: string;
let bare: string;
let A: TempWorkspace;
let B: TempWorkspace;
let b: ToolContext;
let run: string;
let stateChanges = 0;

const git = (gitdir: string, ...args: string[]) => execFileSync("git", ["--git-dir", gitdir, ...args], { encoding: "utf8" }).trim();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-share-comm-"));
  bare = join(dir, "registry.git");
  execFileSync("git", ["init", "--bare", "-q", bare]);
  A = await makeTempWorkspace("dw-share-comm-a-");
  B = await makeTempWorkspace("dw-share-comm-b-");
  for (const [t, who] of [
    [A, "Ada"],
    [B, "Bob"],
  ] as const) {
    execFileSync("git", ["init", "-q", t.dir]);
    git(join(t.dir, ".git"), "remote", "add", "origin", bare);
    git(join(t.dir, ".git"), "config", "user.name", who);
    git(join(t.dir, ".git"), "config", "user.email", `${who.toLowerCase()}@example.com`);
  }
  b = await createToolContext({ cwd: B.dir });
});
after(async () => {
  await A?.cleanup();
  await B?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A dw comm on Ada's workspace through the kernel's real caller; `ask` sends one share message and answers the kernel's reply. */
function adaComm() {
  const caller = createToolCaller({
    cwd: () => A.dir,
    currentCell: () => undefined,
    env: {},
    results: createResultRegistry(),
    onStateChange: () => void stateChanges++,
  });
  const sent: { content: Record<string, unknown> }[] = [];
  const outputs = { publish: (_type: string, content: Record<string, unknown>) => void sent.push({ content }) } as unknown as Outputs;
  const comms = createComms({ outputs, caller, log: () => {} });
  const m = createMessageFactory();
  const opened = comms.open(m.create("comm_open", { comm_id: "s", target_name: "dw", data: {} }));
  return {
    caller,
    async ask(data: Record<string, unknown>): Promise<KernelMessage> {
      await opened;
      const before = sent.length;
      await comms.message(m.create("comm_msg", { comm_id: "s", data }));
      assert.equal(sent.length, before + 1, "one answer per share message");
      return KernelMessage.parse(sent[before].content.data);
    },
  };
}
const ada = adaComm();

function report(m: KernelMessage, id: string) {
  assert.equal(m.type, "share_result", JSON.stringify(m));
  assert.ok(m.type === "share_result" && m.request_id === id);
  assert.ok(m.ok, JSON.stringify(m));
  return m.result;
}

test("Push sends Ada's run, version and alias to the remote and answers push_registry's report; the sidebar's state is refreshed", async () => {
  ok(await ada.caller.call("load_dataset", { path: "data/seattle-weather.csv" }));
  run = String(ok(await ada.caller.call("train_model", { dataset_id: "seattle-weather", target: "temp_max", features: ["temp_min", "wind"] })).run_id);
  ok(await ada.caller.call("register_model", { model_id: run, model_name: "temp", alias: "production" }));
  const changesBefore = stateChanges;
  const r = report(await ada.ask({ type: "share", request_id: "p1", action: "push", remote: "origin" }), "p1");
  assert.equal(r.remote, "origin");
  assert.equal(r.url, bare);
  assert.deepEqual(r.versions, ["temp/1"]);
  assert.deepEqual(r.aliases, { "temp@production": 1 });
  assert.deepEqual(
    r.data.staying_local.map((d) => d.dataset_id),
    ["seattle-weather"],
    "no shared cache: the data is named as staying local",
  );
  assert.equal(git(bare, "rev-parse", "refs/dw/models/temp/1"), git(join(A.dir, ".git"), "rev-parse", "refs/dw/models/temp/1"));
  assert.equal(stateChanges, changesBefore + 1, "a push is a tool that writes: the kernel pushes state after it");
});

test("both register v2 and move production: Push is a CONFLICT with both sides of each ref in its details, and nothing reaches the remote", async () => {
  ok(await runTool("pull_registry", { remote: "origin" }, b));
  ok(await runTool("register_model", { model_id: run, model_name: "temp", alias: "production", description: "Bob's" }, b));
  ok(await runTool("push_registry", { remote: "origin" }, b));
  ok(await ada.caller.call("register_model", { model_id: run, model_name: "temp", alias: "production", description: "Ada's" }));
  const bobsAlias = git(bare, "rev-parse", "refs/dw/aliases/temp/production");

  const m = await ada.ask({ type: "share", request_id: "p2", action: "push", remote: "origin" });
  assert.ok(m.type === "share_result" && m.request_id === "p2" && !m.ok, JSON.stringify(m));
  assert.equal(m.error.code, "CONFLICT");
  assert.match(m.error.hint ?? "", /Pull first/);
  const conflicts = RefConflict.array().parse(m.error.details?.conflicts);
  const alias = conflicts.find((c) => c.target === "temp@production");
  assert.deepEqual([alias?.base.version, alias?.ours.version, alias?.theirs.version], [1, 2, 2]);
  assert.match(alias?.ours.by ?? "", /^Ada/);
  assert.match(alias?.theirs.by ?? "", /^Bob/);
  assert.ok(
    conflicts.some((c) => c.ref === "refs/dw/models/temp/2" && c.base.oid === null),
    "Ada's unshared v2 is named too",
  );
  assert.equal(git(bare, "rev-parse", "refs/dw/aliases/temp/production"), bobsAlias, "nothing of Ada's was pushed");
});

test("Pull renumbers Ada's v2 to v3 and reports the alias conflict; Pull with take resolves it with the remote's side and names the backup", async () => {
  const adaGit = join(A.dir, ".git");
  const pulled = report(await ada.ask({ type: "share", request_id: "l1", action: "pull", remote: "origin" }), "l1");
  assert.deepEqual(
    pulled.renumbered.map((r) => [r.model_name, r.from, r.to, r.aliases]),
    [["temp", 2, 3, ["production"]]],
  );
  assert.deepEqual(
    pulled.conflicts.map((c) => [c.target, c.base.version, c.ours.version, c.theirs.version]),
    [["temp@production", 1, 3, 2]],
  );
  const ours = git(adaGit, "rev-parse", "refs/dw/aliases/temp/production");

  const taken = report(await ada.ask({ type: "share", request_id: "l2", action: "pull", remote: "origin", take: ["temp@production"] }), "l2");
  assert.deepEqual(taken.aliases, { "temp@production": 2 });
  assert.deepEqual(taken.conflicts, []);
  assert.equal(taken.resolved.length, 1);
  assert.equal(taken.resolved[0].took, "theirs");
  const backup = taken.resolved[0].backups.find((x) => x.endsWith("/aliases/temp/production"));
  assert.ok(backup, JSON.stringify(taken.resolved));
  assert.equal(git(adaGit, "rev-parse", backup), ours, "Ada's alias is kept under the backup ref");
  assert.equal(git(adaGit, "rev-parse", "refs/dw/aliases/temp/production"), git(bare, "rev-parse", "refs/dw/aliases/temp/production"));

  const pushed = report(await ada.ask({ type: "share", request_id: "p3", action: "push", remote: "origin" }), "p3");
  assert.deepEqual(pushed.versions, ["temp/3"]);
});

test("a take naming no conflict, an unknown remote and a malformed share message come back as errors the frontend can read", async () => {
  const wrong = await ada.ask({ type: "share", request_id: "x1", action: "push", remote: "origin", take: ["temp@staging"] });
  assert.ok(wrong.type === "share_result" && !wrong.ok);
  assert.equal(wrong.error.code, "INVALID_INPUT");
  assert.match(wrong.error.message, /take_ours names what is not in conflict with origin: temp@staging/, "a push's take is take_ours");
  const unknown = await ada.ask({ type: "share", request_id: "x2", action: "pull", remote: "team" });
  assert.ok(unknown.type === "share_result" && !unknown.ok);
  assert.equal(unknown.error.code, "NOT_FOUND");
  assert.match(unknown.error.hint ?? "", /git remote add team/);
  const invalid = await ada.ask({ type: "share", request_id: "x3", action: "fetch", remote: "origin" });
  assert.equal(invalid.type, "error");
  assert.match(invalid.type === "error" ? invalid.error.message : "", /invalid dw comm message: action/);
  const empty = await ada.ask({ type: "share", request_id: "x4", action: "pull", remote: "origin", take: [] });
  assert.equal(empty.type, "error", "an empty take is refused rather than read as no take");
});
