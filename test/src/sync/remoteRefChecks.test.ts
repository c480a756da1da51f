import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { deployVersion } from "../../../src/deployment/deployVersion.js";
import { pushToRemote } from "../../../src/sync/pushToRemote.js";
import { pullFromRemote } from "../../../src/sync/pullFromRemote.js";
import { caseCollisions } from "../../../src/sync/caseCollisions.js";
import { isDwError } from "../../../src/errors/DwError.js";

// Refs a remote advertises are bounded in number, and a name that equals this clone's but for
// case (one file on macOS and Windows) is never written here.

let dir: string;
let bare: string;
let A: TempWorkspace;
let B: TempWorkspace;
let a: ToolContext;
let b: ToolContext;

const git = (gitdir: string, ...args: string[]) => execFileSync("git", ["--git-dir", gitdir, ...args], { encoding: "utf8" }).trim();
const refs = (gitdir: string) => git(gitdir, "for-each-ref", "--format=%(refname) %(objectname)", "refs/dw", "refs/dw-remotes");

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-refcheck-"));
  bare = join(dir, "registry.git");
  execFileSync("git", ["init", "--bare", "-q", bare]);
  A = await makeTempWorkspace("dw-refcheck-a-");
  B = await makeTempWorkspace("dw-refcheck-b-");
  for (const t of [A, B]) {
    execFileSync("git", ["init", "-q", t.dir]);
    git(join(t.dir, ".git"), "remote", "add", "origin", bare);
  }
  a = await createToolContext({ cwd: A.dir });
  b = await createToolContext({ cwd: B.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, a));
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, a)).run_id;
  ok(await runTool("register_model", { model_id: run, model_name: "temp" }, a));
  await deployVersion(a, { model: "temp", version: 1, alias: "production" });
  await pushToRemote(a, { remote: "origin" });
});
after(async () => {
  delete process.env.DW_SYNC_MAX_REFS;
  await A?.cleanup();
  await B?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

test("a remote with more refs under refs/dw/ than DW_SYNC_MAX_REFS is refused before anything is fetched or written, naming the count and the limit", async () => {
  process.env.DW_SYNC_MAX_REFS = "3";
  try {
    const before = refs(join(B.dir, ".git"));
    let caught: unknown;
    await pullFromRemote(b, { remote: "origin" }).catch((e) => {
      caught = e;
    });
    assert.ok(isDwError(caught), String(caught));
    assert.equal(caught.code, "DATA_ERROR");
    assert.match(caught.message, /holds 4 refs under refs\/dw\/, more than dw plans in one push or pull \(3\)/);
    assert.match(caught.hint ?? "", /DW_SYNC_MAX_REFS=8/);
    assert.equal(refs(join(B.dir, ".git")), before);
    process.env.DW_SYNC_MAX_REFS = "many";
    await assert.rejects(pullFromRemote(b, { remote: "origin" }), (e) => isDwError(e) && e.code === "CONFIG_ERROR" && /DW_SYNC_MAX_REFS/.test(e.message));
  } finally {
    delete process.env.DW_SYNC_MAX_REFS;
  }
  const r = await pullFromRemote(b, { remote: "origin" });
  assert.deepEqual(r.versions, ["temp/1"]);
});

test("remote refs equal to this clone's but for case are refused on pull, naming both, and never written; a push does not send this clone's either", async () => {
  const registration = git(bare, "rev-parse", "refs/dw/models/temp/1");
  git(bare, "update-ref", "refs/dw/aliases/temp/Production", registration);
  git(bare, "update-ref", "refs/dw/aliases/TEMP/canary", registration);
  const r = await pullFromRemote(b, { remote: "origin" });
  const refused = new Map(r.refused.map((x) => [x.ref, x.reason]));
  assert.match(refused.get("refs/dw/aliases/temp/Production") ?? "", /differs from refs\/dw\/aliases\/temp\/production only in case/);
  assert.match(refused.get("refs/dw/aliases/TEMP/canary") ?? "", /differs from refs\/dw\/aliases\/temp only in case/);
  assert.equal(await b.workspace.readRef("refs/dw/aliases/temp/Production"), null);
  assert.equal(await b.workspace.readRef("refs/dw/aliases/TEMP/canary"), null);

  // This clone's staging beside a remote Staging: not sent.
  git(bare, "update-ref", "refs/dw/aliases/temp/Staging", registration);
  await deployVersion(b, { model: "temp", version: 1, alias: "staging" });
  const pushed = await pushToRemote(b, { remote: "origin" });
  assert.deepEqual(
    pushed.moved.filter((m) => m.ref.endsWith("/temp/staging")),
    [],
    "neither the alias nor its deployment history",
  );
  assert.ok(pushed.refused.some((x) => x.ref === "refs/dw/aliases/temp/Staging"));
  assert.equal(git(bare, "for-each-ref", "refs/dw/aliases/temp/staging"), "");
});

test("caseCollisions: folders too, and two remote names that differ only in case keep the first", () => {
  assert.deepEqual(
    [
      ...caseCollisions(
        ["refs/dw/runs/abc", "refs/dw/models/temp/1"],
        ["refs/dw/runs/ABC", "refs/dw/models/Temp/2", "refs/dw/models/temp/2", "refs/dw/runs/x", "refs/dw/runs/X"],
      ),
    ],
    [
      ["refs/dw/models/Temp/2", "refs/dw/models/temp"],
      ["refs/dw/runs/ABC", "refs/dw/runs/abc"],
      ["refs/dw/runs/x", "refs/dw/runs/X"],
    ],
  );
});
