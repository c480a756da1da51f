import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { createGitCliTransport } from "../../../src/gitRemote/gitCliTransport.js";
import { redactUrl, redactUrlsIn } from "../../../src/gitRemote/redactUrl.js";
import { isDwError } from "../../../src/errors/DwError.js";
import { openTransport, remoteUrl } from "../../../src/gitRemote/openTransport.js";

// The git CLI transport against a real bare repository over a plain path and file://, with the
// real git: refs listed, objects fetched by id, pushes applied only on the expected old value and
// all or none.

let dir: string;
let bare: string;
let a: Workspace;
let b: Workspace;
let c1: string;
let c2: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dw-gitcli-"));
  bare = join(dir, "remote.git");
  execFileSync("git", ["init", "--bare", "-q", bare]);
  a = await openWorkspace(join(dir, "a"));
  b = await openWorkspace(join(dir, "b"));
  c1 = await a.commit({ ref: "refs/dw/runs/r1", message: "run 1", files: { "run.json": "{}" } });
  c2 = await a.commit({ ref: "refs/dw/runs/r1", message: "run 1 metrics", files: { "m.txt": "1" }, base: c1, parents: [c1] });
});
after(() => rm(dir, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isDwError(e), String(e));
    return e.toJSON();
  }
  return assert.fail("expected an error");
}

test("push creates refs only where the remote has none, and listRefs reads them back by prefix", async () => {
  const t = createGitCliTransport({ gitdir: a.gitdir }, "origin", bare);
  assert.deepEqual(await t.listRefs("refs/dw/"), new Map());
  const res = await t.push([
    { ref: "refs/dw/runs/r1", old: null, new: c1 },
    { ref: "refs/dw/models/temp/1", old: null, new: c1 },
  ]);
  assert.deepEqual(res, [
    { ref: "refs/dw/runs/r1", ok: true },
    { ref: "refs/dw/models/temp/1", ok: true },
  ]);
  assert.deepEqual(
    await t.listRefs("refs/dw/"),
    new Map([
      ["refs/dw/models/temp/1", c1],
      ["refs/dw/runs/r1", c1],
    ]),
  );
  assert.deepEqual(await t.listRefs("refs/dw/runs/"), new Map([["refs/dw/runs/r1", c1]]));
  // The user's branch and index are untouched: the workspace has no HEAD commit and no index.
  await assert.rejects(readFile(join(a.root, ".git", "index")));
});

test("a push whose expected old value is stale applies nothing (atomic) and says which ref was stale", async () => {
  const t = createGitCliTransport({ gitdir: a.gitdir }, "origin", bare);
  const res = await t.push([
    { ref: "refs/dw/runs/r1", old: c1, new: c2 },
    { ref: "refs/dw/models/temp/1", old: c2, new: c2 },
  ]);
  assert.equal(res.length, 2);
  assert.ok(res.every((r) => !r.ok));
  assert.match(res[1].reason ?? "", /^stale: the remote no longer holds/);
  const refs = await t.listRefs("refs/dw/");
  assert.equal(refs.get("refs/dw/runs/r1"), c1, "the good update was not applied either");
  // A ref that must not exist yet, but does.
  const again = await t.push([{ ref: "refs/dw/runs/r1", old: null, new: c2 }]);
  assert.equal(again[0].ok, false);
});

test("fetch brings the objects of advertised ids into another clone, writing no ref", async () => {
  const t = createGitCliTransport({ gitdir: b.gitdir }, "origin", `file://${bare}`);
  const refs = await t.listRefs("refs/dw/");
  await t.fetch([...refs.values()]);
  assert.equal((await b.readCommit(c1)).message, "run 1\n");
  assert.deepEqual(await b.listRefs("refs/dw"), []);
  await t.fetch([]);
});

test("a fast-forward and a deletion apply on the old values read", async () => {
  const t = createGitCliTransport({ gitdir: a.gitdir }, "origin", bare);
  const res = await t.push([
    { ref: "refs/dw/runs/r1", old: c1, new: c2 },
    { ref: "refs/dw/models/temp/1", old: c1, new: null },
  ]);
  assert.deepEqual(
    res.map((r) => r.ok),
    [true, true],
  );
  assert.deepEqual(await t.listRefs("refs/dw/"), new Map([["refs/dw/runs/r1", c2]]));
});

test("git missing, a remote that does not exist, and a bad object id are clear errors", async () => {
  const missing = await refusal(createGitCliTransport({ gitdir: a.gitdir, git: join(dir, "no-such-git") }, "origin", bare).listRefs("refs/dw/"));
  assert.equal(missing.code, "CONFIG_ERROR");
  assert.match(missing.message, /git is not installed/);
  assert.match(missing.hint ?? "", /https:\/\/ remote/);

  const nowhere = await refusal(createGitCliTransport({ gitdir: a.gitdir }, "origin", join(dir, "nowhere.git")).listRefs("refs/dw/"));
  assert.equal(nowhere.code, "CONNECTION_ERROR");
  assert.match(nowhere.message, /nowhere\.git/);

  const bad = await refusal(createGitCliTransport({ gitdir: a.gitdir }, "origin", bare).fetch(["HEAD"]));
  assert.equal(bad.code, "INVALID_INPUT");
  const badRef = await refusal(createGitCliTransport({ gitdir: a.gitdir }, "origin", bare).push([{ ref: "refs/dw/x:y", old: null, new: c1 }]));
  assert.equal(badRef.code, "INVALID_INPUT");
});

test("credentials in a URL never reach a message", async () => {
  assert.equal(redactUrl("https://me:secret@example.com/r.git"), "https://***@example.com/r.git");
  assert.equal(redactUrlsIn("fatal: 'https://me:secret@example.com/r.git/' and ssh://x@h/r"), "fatal: 'https://***@example.com/r.git/' and ssh://***@h/r");
  const t = createGitCliTransport({ gitdir: a.gitdir }, "origin", `file://me@localhost${join(dir, "nowhere.git")}`);
  assert.equal(t.url.includes("me@"), false);
  const e = await refusal(t.listRefs("refs/dw/"));
  assert.equal(e.message.includes("me@"), false, e.message);
});

test("the transport's remote and url never show credentials, and no password reaches git's command line (where ps shows it)", async () => {
  // A git that writes its arguments down, then runs the real one: what any user's ps would see.
  const log = join(dir, "git-argv.log");
  const git = join(dir, "logging-git");
  await writeFile(git, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${log}'\nexec git "$@"\n`, { mode: 0o755 });
  const argv = async () => readFile(log, "utf8").catch(() => "");

  // A remote given as its URL is shown as the HTTP transport shows it.
  const byUrl = createGitCliTransport({ gitdir: a.gitdir, git }, `file://deploy-token@localhost${bare}`, `file://deploy-token@localhost${bare}`);
  assert.equal(byUrl.remote, `file://***@localhost${bare}`);
  assert.equal(byUrl.url, `file://***@localhost${bare}`);
  const named = createGitCliTransport({ gitdir: a.gitdir, git }, "origin", bare);
  assert.equal(named.remote, "origin");
  assert.ok((await named.listRefs("refs/dw/")).size > 0);
  assert.match(await argv(), /ls-remote/, "the logging git runs");

  for (const url of [
    "ssh://ann:pw-ssh-123@127.0.0.1:1/team.git",
    "ann:pw-scp-123@127.0.0.1:team.git",
    "https://ann:pw-https-123@127.0.0.1:1/team.git",
    "https://tok-https-123@127.0.0.1:1/team.git",
    `file://ann:pw-file-123@localhost${bare}`,
  ]) {
    const e = await refusal((async () => createGitCliTransport({ gitdir: a.gitdir, git }, url, url).listRefs("refs/dw/"))());
    assert.equal(e.code, "INVALID_INPUT", url);
    assert.match(e.message, /in its URL, which dw does not put on git's command line/);
    assert.match(e.hint ?? "", url.startsWith("https") ? /HTTP transport/ : /ssh authenticates with your keys/);
    assert.ok(!JSON.stringify(e).includes("-123"), JSON.stringify(e));
  }
  assert.ok(!(await argv()).includes("-123"), "no credential was ever an argument of git");
  // openTransport sends https remotes to the HTTP transport, credentials and all.
  assert.equal((await openTransport(a, "https://ann:pw-https-123@127.0.0.1:1/team.git")).url, "https://***@127.0.0.1:1/team.git");
});

test("openTransport finds a remote by its name in the clone's git config, or takes a URL or path, and refuses what git would misread", async () => {
  execFileSync("git", ["--git-dir", b.gitdir, "remote", "add", "team", bare]);
  const t = await openTransport(b, "team");
  assert.equal(t.url, bare);
  assert.equal((await t.listRefs("refs/dw/")).size, 1);
  assert.equal(await remoteUrl(b, "../remote.git"), bare, "a relative path is the workspace's");
  assert.equal(await remoteUrl(b, "git@example.com:team/models.git"), "git@example.com:team/models.git");
  const none = await refusal(openTransport(b, "origin"));
  assert.equal(none.code, "NOT_FOUND");
  assert.match(none.hint ?? "", /git remote add origin <url>/);
  for (const hostile of ["ext::sh -c touch% /tmp/pwned", "--upload-pack=touch /tmp/pwned", "fd::17", "javascript://x"]) {
    assert.equal((await refusal(remoteUrl(b, hostile))).code, "INVALID_INPUT", hostile);
  }
});

test("a listing longer than the limit stops git and is a DATA_ERROR naming the remote and the limit", async () => {
  const many = join(dir, "many.git");
  execFileSync("git", ["init", "--bare", "-q", many]);
  const lines = Array.from({ length: 200 }, (_, i) => `create refs/dw/runs/r${i} ${c1}\n`).join("");
  execFileSync("git", ["--git-dir", a.gitdir, "push", "-q", many, `${c1}:refs/dw/runs/seed`]);
  execFileSync("git", ["--git-dir", many, "update-ref", "--stdin"], { input: lines });
  assert.equal((await createGitCliTransport({ gitdir: b.gitdir }, "origin", many).listRefs("refs/dw/")).size, 201);
  const e = await refusal(createGitCliTransport({ gitdir: b.gitdir, listLimitBytes: 4096 }, "origin", many).listRefs("refs/dw/"));
  assert.equal(e.code, "DATA_ERROR");
  assert.match(e.message, /The git remote .*many\.git sent more than 4096 bytes for the list of its refs/);
});
