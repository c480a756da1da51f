import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile, readFile, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findWorkspaceRoot, openWorkspace } from "../../../src/workspace/Workspace.js";
import { createWorkspaceLock } from "../../../src/workspace/lock.js";

const git = (dir: string, ...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });

test("a workspace in a folder without git creates a repository and writes commits plain git can read", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-ws-"));
  const ws = await openWorkspace(dir);
  const oid = await ws.commit({ ref: "refs/dw/runs/r1", message: "first run", files: { "run.json": '{"a":1}\n', "data/manifest.json": "{}\n" } });
  assert.equal(await ws.readRef("refs/dw/runs/r1"), oid);
  assert.equal(git(dir, "cat-file", "-t", oid).trim(), "commit");
  assert.equal(git(dir, "show", "refs/dw/runs/r1:run.json"), '{"a":1}\n');
  assert.equal(git(dir, "show", "refs/dw/runs/r1:data/manifest.json"), "{}\n");
  assert.match(git(dir, "log", "refs/dw/runs/r1"), /first run/);
  git(dir, "fsck", "--strict");
  await rm(dir, { recursive: true, force: true });
});

test("writing runs never touches the user's branch, index or working tree", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-ws-"));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "ds@example.com");
  git(dir, "config", "user.name", "Data Scientist");
  await writeFile(join(dir, "notes.txt"), "hello\n");
  git(dir, "add", "notes.txt");
  git(dir, "commit", "-qm", "user commit");
  await writeFile(join(dir, "notes.txt"), "edited, not staged\n");
  const head = git(dir, "rev-parse", "HEAD");
  const status = git(dir, "status", "--porcelain");
  const ws = await openWorkspace(dir);
  await ws.commit({ ref: "refs/dw/runs/r2", message: "a run", files: { "x.json": "1\n" } });
  assert.equal(git(dir, "rev-parse", "HEAD"), head);
  assert.equal(git(dir, "status", "--porcelain"), status);
  assert.equal(await readFile(join(dir, "notes.txt"), "utf8"), "edited, not staged\n");
  assert.match(git(dir, "log", "-1", "--format=%an <%ae>", "refs/dw/runs/r2"), /Data Scientist <ds@example.com>/);
  // .dw/ is excluded from the user's git status.
  await mkdir(join(dir, ".dw"), { recursive: true });
  await writeFile(join(dir, ".dw", "x"), "1");
  assert.equal(git(dir, "status", "--porcelain"), status);
  await rm(dir, { recursive: true, force: true });
});

test("a commit over a base keeps the base's files and adds the new ones", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-ws-"));
  const ws = await openWorkspace(dir);
  const base = await ws.commit({ ref: "refs/dw/runs/b", message: "base", files: { "a.json": "1\n", "d/b.json": "2\n" } });
  const next = await ws.commit({ ref: "refs/dw/models/m/1", message: "reg", base, parents: [base], files: { "registration.json": "3\n" } });
  assert.equal(await ws.readText(next, "a.json"), "1\n");
  assert.equal(await ws.readText(next, "d/b.json"), "2\n");
  assert.equal(await ws.readText(next, "registration.json"), "3\n");
  assert.deepEqual((await ws.readCommit(next)).parents, [base]);
  assert.deepEqual(await ws.listRefs("refs/dw/models"), ["m/1"]);
  await rm(dir, { recursive: true, force: true });
});

test("ref names outside refs/dw or with unsafe parts are refused", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-ws-"));
  const ws = await openWorkspace(dir);
  const oid = await ws.commit({ ref: "refs/dw/runs/ok", message: "m", files: { a: "1" } });
  for (const bad of ["refs/heads/main", "refs/dw/runs/../x", "refs/dw/runs/a b", "refs/dw/runs/x.lock", "refs/dw/models/.hidden/1"]) {
    await assert.rejects(ws.writeRef(bad, oid), /not a ref name dw can write/, bad);
  }
  await rm(dir, { recursive: true, force: true });
});

test("the workspace is found from a subfolder, and DW_WORKSPACE overrides", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-ws-"));
  await mkdir(join(dir, ".git"));
  await mkdir(join(dir, "notebooks", "deep"), { recursive: true });
  assert.equal(await findWorkspaceRoot(join(dir, "notebooks", "deep"), {}), dir);
  assert.equal(await findWorkspaceRoot(join(dir, "notebooks"), { DW_WORKSPACE: "/elsewhere" }), "/elsewhere");
  await rm(dir, { recursive: true, force: true });
});

test("the lock serializes writers and takes over a lock left by a dead process", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-lock-"));
  const lock = createWorkspaceLock(dir, { timeoutMs: 2000 });
  const order: string[] = [];
  await Promise.all(
    ["a", "b", "c"].map((id) =>
      lock.withLock(async () => {
        order.push(`${id}+`);
        await new Promise((r) => setTimeout(r, 10));
        order.push(`${id}-`);
      }),
    ),
  );
  assert.deepEqual(order, ["a+", "a-", "b+", "b-", "c+", "c-"]);
  // A pid that cannot exist: its lock is stale.
  await writeFile(join(dir, "lock"), JSON.stringify({ pid: 2 ** 22 + 12345 }));
  assert.equal(await lock.withLock(async () => "taken"), "taken");
  // A live other process holding the lock makes us wait, then give up with a clear error.
  await writeFile(join(dir, "lock"), JSON.stringify({ pid: process.ppid }));
  const short = createWorkspaceLock(dir, { timeoutMs: 200 });
  await assert.rejects(
    short.withLock(async () => 1),
    /locked by another dw process/,
  );
  await rm(dir, { recursive: true, force: true });
});

test("a commit read before its objects arrive (dw pull fetches them) is read whole once they do: a missing object is not remembered as a missing file", async () => {
  const here = await mkdtemp(join(tmpdir(), "dw-ws-late-"));
  const there = await mkdtemp(join(tmpdir(), "dw-ws-late-src-"));
  try {
    const ws = await openWorkspace(here);
    const other = await openWorkspace(there);
    const oid = await other.commit({ ref: "refs/dw/runs/late", message: "late", files: { "run.json": '{"late": true}\n' } });
    assert.equal(await ws.readText(oid, "run.json"), null);
    execFileSync("git", ["--git-dir", join(here, ".git"), "fetch", "-q", join(there, ".git"), "refs/dw/runs/late"]);
    assert.equal(await ws.readText(oid, "run.json"), '{"late": true}\n');
    // A path the commit does not have stays absent, and is answered from memory after the first time.
    assert.equal(await ws.readText(oid, "model.json"), null);
  } finally {
    await rm(here, { recursive: true, force: true });
    await rm(there, { recursive: true, force: true });
  }
});
