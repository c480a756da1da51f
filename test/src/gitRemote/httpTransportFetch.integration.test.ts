import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitCliTransport } from "../../../src/gitRemote/gitCliTransport.js";
import { createHttpTransport } from "../../../src/gitRemote/httpTransport.js";
import { readRemote } from "../../../src/sync/planSync.js";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { type GitHttpServer, bareGit, createBareRepository, startGitHttpServer } from "./gitHttpServer.js";

const git = (dir: string, ...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });

let root: string;
let server: GitHttpServer;
let bare: string;
let source: Workspace;
const tips: Record<string, string> = {};
/** A text file large enough that git sends the second version as a delta against the first (ofs-delta). */
const notes = Array.from({ length: 2000 }, (_, i) => `line ${i}: ${(i * 7919) % 10007}`).join("\n");

before(async () => {
  root = await mkdtemp(join(tmpdir(), "dw-http-fetch-"));
  bare = createBareRepository(root, "team.git");
  server = await startGitHttpServer({ root });
  source = await openWorkspace(join(root, "alice"));
  const now = new Date("2026-01-01T00:00:00Z");
  tips.v1 = await source.commit({
    ref: "refs/dw/models/churn/1",
    message: "churn v1",
    files: { "model.json": '{"v":1}\n', "card.md": "# churn\n", "notes.txt": notes },
    now,
  });
  tips.v2 = await source.commit({
    ref: "refs/dw/models/churn/2",
    message: "churn v2",
    files: { "model.json": '{"v":2}\n', "notes.txt": `${notes}\none more line` },
    parents: [tips.v1],
    base: tips.v1,
    now: new Date(now.getTime() + 1000),
  });
  tips.run = await source.commit({
    ref: "refs/dw/runs/r1",
    message: "run r1",
    files: { "run.json": '{"run":"r1"}\n', "data/big.txt": "x".repeat(50_000) },
    now,
  });
  // A branch of the user's code: not dw's, so listRefs("refs/dw/") must leave it out.
  git(source.root, "-c", "user.name=A", "-c", "user.email=a@x", "commit", "-q", "--allow-empty", "-m", "code");
  git(source.root, "push", "-q", bare, "refs/dw/*:refs/dw/*", "HEAD:refs/heads/main");
});

after(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

test("listRefs lists, in one request, exactly the remote's refs under the prefix with their ids", async () => {
  const transport = createHttpTransport(source, "origin", server.url("team.git"));
  const before = server.requests.length;
  const refs = await transport.listRefs("refs/dw/");
  assert.equal(server.requests.length - before, 1);
  assert.deepEqual(Object.fromEntries(refs), {
    "refs/dw/models/churn/1": tips.v1,
    "refs/dw/models/churn/2": tips.v2,
    "refs/dw/runs/r1": tips.run,
  });
  const expected = bareGit(bare, "for-each-ref", "--format=%(refname) %(objectname)", "refs/dw/models/")
    .trim()
    .split("\n")
    .map((l) => l.split(" "));
  assert.deepEqual([...(await transport.listRefs("refs/dw/models/"))], expected);
  assert.deepEqual([...(await transport.listRefs("refs/dw/nothing/"))], []);
  assert.equal((await transport.listRefs("refs/heads/")).get("refs/heads/main"), bareGit(bare, "rev-parse", "main").trim());
});

test("fetch brings every want in one upload-pack request as a pack the open workspace reads at once, then only what is missing", async () => {
  const dir = join(root, "bob");
  const ws = await openWorkspace(dir);
  const own = await ws.commit({ ref: "refs/dw/runs/bob", message: "bob's run", files: { "run.json": "{}\n" } });
  assert.equal((await ws.readCommit(own)).message, "bob's run\n");
  const transport = createHttpTransport(ws, "origin", server.url("team.git"));
  const refs = await transport.listRefs("refs/dw/");
  const posts = () => server.requests.filter((r) => r.method === "POST" && r.path === "/team.git/git-upload-pack").length;
  const before = posts();
  await transport.fetch([refs.get("refs/dw/models/churn/1")!, refs.get("refs/dw/runs/r1")!]);
  assert.equal(posts() - before, 1, "all wants in one request");
  // The workspace opened before the fetch reads the new objects, without reopening.
  assert.equal((await ws.readCommit(tips.v1)).message, "churn v1\n");
  assert.equal(await ws.readText(tips.v1, "model.json"), '{"v":1}\n');
  assert.equal((await ws.readText(tips.run, "data/big.txt"))?.length, 50_000);
  const packDir = join(ws.gitdir, "objects", "pack");
  const packsAfterFirst = (await readdir(packDir)).filter((n) => n.endsWith(".pack"));
  assert.equal(packsAfterFirst.length, 1);
  assert.deepEqual(await readdir(join(ws.gitdir, "dw-tmp")).then((n) => n.filter((x) => x.startsWith("pack."))), [], "no receiving folder is left");

  // The caller (src/sync) writes the refs; the next fetch offers them as haves, so only churn/2's objects come.
  await ws.writeRef("refs/dw/models/churn/1", tips.v1);
  await ws.writeRef("refs/dw/runs/r1", tips.run);
  await transport.fetch([tips.v2]);
  assert.equal(posts() - before, 2);
  const second = (await readdir(packDir)).filter((n) => n.endsWith(".idx") && !packsAfterFirst.includes(n.replace(/idx$/, "pack")));
  assert.equal(second.length, 1);
  const objects = git(dir, "verify-pack", "-v", join(packDir, second[0]))
    .split("\n")
    .filter((l) => /^[0-9a-f]{40} (commit|tree|blob)/.test(l))
    .map((l) => l.slice(0, 40));
  // churn/2: its commit, its tree, its new model.json and notes.txt; card.md and churn/1 were here already.
  assert.equal(objects.length, 4, objects.join(" "));
  assert.ok(objects.includes(tips.v2));
  assert.ok(!objects.includes(tips.v1));
  assert.equal(await ws.readText(tips.v2, "model.json"), '{"v":2}\n');
  assert.equal(await ws.readText(tips.v2, "card.md"), "# churn\n");
  git(dir, "update-ref", "refs/dw/models/churn/2", tips.v2);
  git(dir, "fsck", "--strict", "--no-dangling");

  // Wants already here cost no request.
  await transport.fetch([tips.v1, tips.v2]);
  assert.equal(posts() - before, 2);
});

test("a fetch into an empty repository after a fresh transport makes one advertisement and one upload-pack request", async () => {
  const ws = await openWorkspace(join(root, "carol"));
  const transport = createHttpTransport(ws, "origin", server.url("team.git"));
  const before = server.requests.length;
  await transport.fetch([tips.v2, tips.run]);
  assert.deepEqual(
    server.requests.slice(before).map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ""}`),
    ["GET /team.git/info/refs?service=git-upload-pack", "POST /team.git/git-upload-pack"],
  );
  assert.equal((await ws.readCommit(tips.v2)).parents[0], tips.v1);
  assert.equal(await ws.readText(tips.v1, "card.md"), "# churn\n");
  // Both versions of notes.txt came in one pack, one as a delta of the other, and read back whole.
  const pack = (await readdir(join(ws.gitdir, "objects", "pack"))).find((n) => n.endsWith(".pack"))!;
  const verify = execFileSync("git", ["verify-pack", "-v", join(ws.gitdir, "objects", "pack", pack)], { encoding: "utf8" });
  assert.match(verify, /chain length = 1: [1-9]/);
  assert.equal(await ws.readText(tips.v1, "notes.txt"), notes);
  assert.equal(await ws.readText(tips.v2, "notes.txt"), `${notes}\none more line`);
});

test("a ref git accepts and dw does not write (refs/dw/scratch/_wip) is listed over HTTP as by git ls-remote, and the sync planner refuses it alone", async () => {
  const odd = createBareRepository(root, "odd.git");
  git(source.root, "push", "-q", odd, "refs/dw/runs/r1:refs/dw/runs/r1", "refs/dw/runs/r1:refs/dw/scratch/_wip");
  const expected = { "refs/dw/runs/r1": tips.run, "refs/dw/scratch/_wip": tips.run };
  const ws = await openWorkspace(join(root, "dave"));
  const overHttp = createHttpTransport(ws, "origin", server.url("odd.git"));
  assert.deepEqual(Object.fromEntries(await overHttp.listRefs("refs/dw/")), expected);
  // The user's git gives the same listing for the same repository.
  assert.deepEqual(Object.fromEntries(await createGitCliTransport({ gitdir: ws.gitdir }, "origin", odd).listRefs("refs/dw/")), expected);
  const remote = await readRemote(overHttp);
  assert.deepEqual(Object.fromEntries(remote.refs), { "refs/dw/runs/r1": tips.run });
  assert.deepEqual(
    remote.refused.map((r) => r.ref),
    ["refs/dw/scratch/_wip"],
  );
  assert.equal(await ws.readText(tips.run, "run.json"), '{"run":"r1"}\n');
});
