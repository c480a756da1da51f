import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpTransport } from "../../../src/gitRemote/httpTransport.js";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { type GitHttpServer, bareGit, createBareRepository, startGitHttpServer } from "./gitHttpServer.js";

let root: string;
let server: GitHttpServer;
let bare: string;
let alice: Workspace;
/** Runs before a request reaches git: a test sets it to move a ref between a push's advertisement and its commands. */
let beforeRequest: ((r: { method: string; path: string }) => void) | null = null;
const t0 = new Date("2026-02-01T00:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const remoteRefs = (prefix = "refs/dw/") =>
  Object.fromEntries(
    bareGit(bare, "for-each-ref", "--format=%(refname) %(objectname)", prefix)
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ")),
  );
const receivePosts = () => server.requests.filter((r) => r.method === "POST" && r.path === "/team.git/git-receive-pack");

before(async () => {
  root = await mkdtemp(join(tmpdir(), "dw-http-push-"));
  bare = createBareRepository(root, "team.git");
  server = await startGitHttpServer({ root, beforeRequest: (r) => beforeRequest?.(r) });
  alice = await openWorkspace(join(root, "alice"));
});

after(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

test("push sends several refs/dw refs in one receive-pack request, leaves a complete repository, and a second workspace fetches and reads them", async () => {
  const v1 = await alice.commit({
    ref: "refs/dw/models/churn/1",
    message: "churn v1",
    files: { "model.json": '{"v":1}\n', "data.bin": randomBytes(80_000) },
    now: at(0),
  });
  const v2 = await alice.commit({
    ref: "refs/dw/models/churn/2",
    message: "churn v2",
    files: { "model.json": '{"v":2}\n' },
    parents: [v1],
    base: v1,
    now: at(1),
  });
  const prod = await alice.commit({
    ref: "refs/dw/aliases/churn/production",
    message: "production → 2",
    files: { "alias.json": '{"version":2}\n' },
    now: at(2),
  });
  const transport = createHttpTransport(alice, "origin", server.url("team.git"));
  const before = server.requests.length;
  const results = await transport.push([
    { ref: "refs/dw/models/churn/1", old: null, new: v1 },
    { ref: "refs/dw/models/churn/2", old: null, new: v2 },
    { ref: "refs/dw/aliases/churn/production", old: null, new: prod },
  ]);
  assert.deepEqual(results, [
    { ref: "refs/dw/models/churn/1", ok: true },
    { ref: "refs/dw/models/churn/2", ok: true },
    { ref: "refs/dw/aliases/churn/production", ok: true },
  ]);
  assert.deepEqual(
    server.requests.slice(before).map((r) => `${r.method} ${r.path}`),
    ["GET /team.git/info/refs", "POST /team.git/git-receive-pack"],
  );
  assert.deepEqual(remoteRefs(), { "refs/dw/aliases/churn/production": prod, "refs/dw/models/churn/1": v1, "refs/dw/models/churn/2": v2 });
  bareGit(bare, "fsck", "--strict", "--no-dangling");
  assert.equal(execFileSync("git", ["--git-dir", bare, "cat-file", "-s", `${v2}:data.bin`], { encoding: "utf8" }).trim(), "80000");

  const bob = await openWorkspace(join(root, "bob"));
  const fromBob = createHttpTransport(bob, "origin", server.url("team.git"));
  const refs = await fromBob.listRefs("refs/dw/");
  await fromBob.fetch([...refs.values()]);
  assert.deepEqual((await bob.readCommit(v2)).parents, [v1]);
  assert.equal(await bob.readText(v2, "model.json"), '{"v":2}\n');
  assert.equal(await bob.readText(prod, "alias.json"), '{"version":2}\n');
});

test("a second push sends only the objects the remote lacks", async () => {
  const v2 = (await alice.readRef("refs/dw/models/churn/2"))!;
  const first = receivePosts()[0].requestBytes;
  const v3 = await alice.commit({
    ref: "refs/dw/models/churn/3",
    message: "churn v3",
    files: { "model.json": '{"v":3}\n' },
    parents: [v2],
    base: v2,
    now: at(10),
  });
  const transport = createHttpTransport(alice, "origin", server.url("team.git"));
  const results = await transport.push([{ ref: "refs/dw/models/churn/3", old: null, new: v3 }]);
  assert.deepEqual(results, [{ ref: "refs/dw/models/churn/3", ok: true }]);
  const sent = receivePosts().at(-1)!.requestBytes;
  // The commit, its root tree and the new model.json: a few hundred bytes, not the 80 kB data.bin again.
  assert.ok(first > 80_000, `first push ${first} bytes`);
  assert.ok(sent < 1000, `second push sent ${sent} bytes`);
  assert.equal(remoteRefs()["refs/dw/models/churn/3"], v3);
  bareGit(bare, "fsck", "--strict", "--no-dangling");

  // Moving a ref to a commit the remote has needs no new object at all.
  const v1 = (await alice.readRef("refs/dw/models/churn/1"))!;
  const prod = remoteRefs()["refs/dw/aliases/churn/production"];
  assert.deepEqual(await transport.push([{ ref: "refs/dw/aliases/churn/production", old: prod, new: v1 }]), [
    { ref: "refs/dw/aliases/churn/production", ok: true },
  ]);
  // One command (~170 bytes with the capabilities), a flush and an empty pack (32 bytes).
  const moved = receivePosts().at(-1)!.requestBytes;
  assert.ok(moved < 250, `${moved} bytes`);
  assert.equal(remoteRefs()["refs/dw/aliases/churn/production"], v1);
});

test("an update whose old value is stale is refused, and with atomic pushes nothing else is applied", async () => {
  const transport = createHttpTransport(alice, "origin", server.url("team.git"));
  const v1 = remoteRefs()["refs/dw/models/churn/1"];
  const v3 = remoteRefs()["refs/dw/models/churn/3"];
  const fresh = await alice.commit({ ref: "refs/dw/runs/r9", message: "run 9", files: { "run.json": "{}\n" }, now: at(20) });
  const remoteBefore = remoteRefs();
  const postsBefore = receivePosts().length;
  const results = await transport.push([
    { ref: "refs/dw/runs/r9", old: null, new: fresh },
    // The caller last saw churn/1 at v3: the remote holds v1.
    { ref: "refs/dw/models/churn/1", old: v3, new: fresh },
  ]);
  assert.equal(results[0].ok, false);
  assert.match(results[0].reason!, /atomic.*refs\/dw\/models\/churn\/1/);
  assert.deepEqual(results[1], { ref: "refs/dw/models/churn/1", ok: false, reason: `stale: the remote holds ${v1.slice(0, 7)} now` });
  assert.deepEqual(remoteRefs(), remoteBefore);
  assert.equal(receivePosts().length, postsBefore, "nothing was sent");

  // A ref that must not exist yet, but does.
  const [exists] = await transport.push([{ ref: "refs/dw/models/churn/1", old: null, new: fresh }]);
  assert.deepEqual(exists, { ref: "refs/dw/models/churn/1", ok: false, reason: `stale: the remote holds ${v1.slice(0, 7)} now` });
});

test("a ref moved on the remote between the advertisement and the commands is refused by the remote, atomically", async () => {
  const transport = createHttpTransport(alice, "origin", server.url("team.git"));
  const v2 = remoteRefs()["refs/dw/models/churn/2"];
  const v3 = remoteRefs()["refs/dw/models/churn/3"];
  const prod = remoteRefs()["refs/dw/aliases/churn/production"];
  const other = await alice.commit({ ref: "refs/dw/runs/r10", message: "run 10", files: { "run.json": '{"n":10}\n' }, now: at(30) });
  beforeRequest = (r) => {
    if (r.method === "POST" && r.path.endsWith("/git-receive-pack")) {
      beforeRequest = null;
      bareGit(bare, "update-ref", "refs/dw/aliases/churn/production", v3);
    }
  };
  const results = await transport.push([
    { ref: "refs/dw/aliases/churn/production", old: prod, new: v2 },
    { ref: "refs/dw/runs/r10", old: null, new: other },
  ]);
  assert.equal(beforeRequest, null, "the hook ran");
  for (const r of results) {
    assert.equal(r.ok, false);
    assert.match(r.reason!, /^the remote refused it: /);
  }
  assert.equal(remoteRefs()["refs/dw/aliases/churn/production"], v3);
  assert.equal(remoteRefs()["refs/dw/runs/r10"], undefined);
});

test("push deletes a ref without sending a pack, and an update list without changes makes no request", async () => {
  const transport = createHttpTransport(alice, "origin", server.url("team.git"));
  const v3 = remoteRefs()["refs/dw/models/churn/3"];
  assert.deepEqual(await transport.push([{ ref: "refs/dw/models/churn/3", old: v3, new: null }]), [{ ref: "refs/dw/models/churn/3", ok: true }]);
  assert.equal(remoteRefs()["refs/dw/models/churn/3"], undefined);
  const deleted = receivePosts().at(-1)!.requestBytes;
  assert.ok(deleted < 200, `a command and a flush, no pack: ${deleted} bytes`);
  const before = server.requests.length;
  assert.deepEqual(await transport.push([]), []);
  assert.equal(server.requests.length, before);
  bareGit(bare, "fsck", "--strict", "--no-dangling");
});

test("a push that names a commit this repository lacks, or a bad ref, is refused before anything is sent", async () => {
  const transport = createHttpTransport(alice, "origin", server.url("team.git"));
  await assert.rejects(transport.push([{ ref: "refs/dw/runs/x", old: null, new: "1".repeat(40) }]), (e: Error & { code?: string }) => {
    assert.equal(e.code, "INVALID_INPUT");
    assert.match(e.message, /1111111111111111111111111111111111111111 to push is not in this repository/);
    return true;
  });
  await assert.rejects(transport.push([{ ref: "refs/dw/../x", old: null, new: "1".repeat(40) }]), /not a ref name/);
  await assert.rejects(transport.push([{ ref: "refs/dw/runs/x", old: null, new: "XYZ" }]), /40 lowercase hex/);
  assert.equal(execFileSync("git", ["--git-dir", bare, "for-each-ref", "refs/dw/runs/x"], { encoding: "utf8" }), "");
});

test("a remote that does not offer atomic pushes applies the updates that are not stale, and only those", async () => {
  const plain = createBareRepository(root, "plain.git");
  bareGit(plain, "config", "receive.advertiseAtomic", "false");
  const transport = createHttpTransport(alice, "origin", server.url("plain.git"));
  const a = await alice.commit({ ref: "refs/dw/runs/p1", message: "p1", files: { "run.json": '{"p":1}\n' }, now: at(40) });
  const b = await alice.commit({ ref: "refs/dw/runs/p2", message: "p2", files: { "run.json": '{"p":2}\n' }, now: at(41) });
  assert.deepEqual(await transport.push([{ ref: "refs/dw/runs/p1", old: null, new: a }]), [{ ref: "refs/dw/runs/p1", ok: true }]);
  const results = await transport.push([
    { ref: "refs/dw/runs/p1", old: null, new: b },
    { ref: "refs/dw/runs/p2", old: null, new: b },
  ]);
  assert.deepEqual(results, [
    { ref: "refs/dw/runs/p1", ok: false, reason: `stale: the remote holds ${a.slice(0, 7)} now` },
    { ref: "refs/dw/runs/p2", ok: true },
  ]);
  assert.equal(bareGit(plain, "rev-parse", "refs/dw/runs/p1").trim(), a);
  assert.equal(bareGit(plain, "rev-parse", "refs/dw/runs/p2").trim(), b);
  bareGit(plain, "fsck", "--strict", "--no-dangling");
});
