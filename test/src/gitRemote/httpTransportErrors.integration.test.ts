import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpTransport } from "../../../src/gitRemote/httpTransport.js";
import { pktLine } from "../../../src/gitRemote/pktLine.js";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { type GitHttpServer, createBareRepository, startGitHttpServer } from "./gitHttpServer.js";

let root: string;
let server: GitHttpServer;
let alice: Workspace;
let tip: string;
const servers: Server[] = [];

/** A plain node:http server for the cases no git server produces (a web page, silence, a broken advertisement, a cut pack). */
async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const dwError = (code: string, pattern: RegExp, absent?: string) => (e: Error & { code?: string; hint?: string }) => {
  assert.equal(e.code, code, e.message);
  assert.match(e.message, pattern);
  if (absent) assert.ok(!JSON.stringify({ m: e.message, h: e.hint, d: (e as { details?: unknown }).details }).includes(absent), "the secret is not shown");
  return true;
};

before(async () => {
  root = await mkdtemp(join(tmpdir(), "dw-http-errors-"));
  const bare = createBareRepository(root, "team.git");
  server = await startGitHttpServer({ root, auth: { user: "ann", password: "s3cret-token" } });
  alice = await openWorkspace(join(root, "alice"));
  tip = await alice.commit({ ref: "refs/dw/runs/r1", message: "run", files: { "run.json": "{}\n", "blob.bin": randomBytes(20_000) } });
  execFileSync("git", ["push", "-q", bare, "refs/dw/*:refs/dw/*"], { cwd: alice.root });
});

after(async () => {
  await server.close();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await rm(root, { recursive: true, force: true });
});

test("a 401 says how to give credentials, and neither the password nor the URL's credentials appear in any message", async () => {
  const anonymous = createHttpTransport(alice, "origin", server.url("team.git"), { env: {} });
  await assert.rejects(anonymous.listRefs("refs/dw/"), (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, "CONNECTION_ERROR");
    assert.match(e.message, /origin .*asks for credentials and none were given \(HTTP 401\)/);
    assert.match(e.hint!, /https:\/\/USER:TOKEN@host/);
    assert.match(e.hint!, /DW_GIT_USERNAME=USER DW_GIT_PASSWORD=TOKEN/);
    return true;
  });
  const wrongUrl = server.url("team.git").replace("http://", "http://ann:wrong-password@");
  const wrong = createHttpTransport(alice, "origin", wrongUrl, { env: {} });
  assert.equal(wrong.url, server.url("team.git").replace("http://", "http://***@"));
  await assert.rejects(wrong.listRefs("refs/dw/"), dwError("CONNECTION_ERROR", /refused the credentials from the URL/, "wrong-password"));
  await assert.rejects(wrong.push([{ ref: "refs/dw/runs/r1", old: tip, new: null }]), dwError("CONNECTION_ERROR", /HTTP 401/, "wrong-password"));
  // A remote given as its URL (no name) is shown without the credentials too.
  const byUrl = createHttpTransport(alice, wrongUrl, wrongUrl, { env: {} });
  assert.equal(byUrl.remote, wrong.url);
  await assert.rejects(byUrl.fetch([tip]), dwError("CONNECTION_ERROR", /refused the credentials from the URL/, "wrong-password"));
  const wrongEnv = createHttpTransport(alice, "origin", server.url("team.git"), { env: { DW_GIT_USERNAME: "ann", DW_GIT_PASSWORD: "nope-nope" } });
  await assert.rejects(
    wrongEnv.listRefs("refs/dw/"),
    dwError("CONNECTION_ERROR", /refused the credentials from DW_GIT_USERNAME\/DW_GIT_PASSWORD/, "nope-nope"),
  );
});

test("credentials in the URL or in DW_GIT_USERNAME/DW_GIT_PASSWORD are sent as Basic auth", async () => {
  const inUrl = createHttpTransport(alice, "origin", server.url("team.git").replace("http://", "http://ann:s3cret-token@"), { env: {} });
  assert.equal((await inUrl.listRefs("refs/dw/")).get("refs/dw/runs/r1"), tip);
  const bob = await openWorkspace(join(root, "bob"));
  const inEnv = createHttpTransport(bob, "origin", server.url("team.git"), { env: { DW_GIT_USERNAME: "ann", DW_GIT_PASSWORD: "s3cret-token" } });
  await inEnv.fetch([tip]);
  assert.equal(await bob.readText(tip, "run.json"), "{}\n");
  const next = await bob.commit({ ref: "refs/dw/runs/r2", message: "run 2", files: { "run.json": '{"n":2}\n' }, parents: [tip] });
  assert.deepEqual(await inEnv.push([{ ref: "refs/dw/runs/r2", old: null, new: next }]), [{ ref: "refs/dw/runs/r2", ok: true }]);
});

test("no repository at the URL, a web page, silence and a closed port are clear errors naming the remote", async () => {
  const env = { DW_GIT_USERNAME: "ann", DW_GIT_PASSWORD: "s3cret-token" };
  await assert.rejects(
    createHttpTransport(alice, "origin", server.url("missing.git"), { env }).listRefs("refs/dw/"),
    dwError("NOT_FOUND", /no git repository at origin/),
  );
  const page = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html>hello</html>");
  });
  await assert.rejects(
    createHttpTransport(alice, "team", `${page}/repo`).listRefs("refs/dw/"),
    dwError("DATA_ERROR", /team .*does not speak git's smart HTTP protocol: it answered text\/html/),
  );
  const silent = await startServer(() => undefined);
  const started = Date.now();
  await assert.rejects(
    createHttpTransport(alice, "team", `${silent}/repo`, { timeoutMs: 300 }).listRefs("refs/dw/"),
    dwError("CONNECTION_ERROR", /did not answer within/),
  );
  assert.ok(Date.now() - started < 5000);
  // A caller's cancellation stops a request under way.
  const cancel = new AbortController();
  setTimeout(() => cancel.abort(), 100);
  await assert.rejects(
    createHttpTransport(alice, "team", `${silent}/repo`, { signal: cancel.signal }).listRefs("refs/dw/"),
    dwError("INTERRUPTED", /request to the git remote team .* was stopped/),
  );
  const closed = await startServer(() => undefined);
  const port = new URL(closed).port;
  const last = servers.pop()!;
  await new Promise((resolve) => last.close(resolve));
  await assert.rejects(
    createHttpTransport(alice, "team", `http://u:pw-xyz@127.0.0.1:${port}/repo`).listRefs("refs/dw/"),
    dwError("CONNECTION_ERROR", /Could not reach the git remote team \(http:\/\/\*\*\*@127/, "pw-xyz"),
  );
});

test("a want that is not an object id is refused before any request", async () => {
  const before = server.requests.length;
  const transport = createHttpTransport(alice, "origin", server.url("team.git"));
  await assert.rejects(transport.fetch([tip, `${tip}\nwant ${tip}`]), dwError("INVALID_INPUT", /a want is an object id of 40 lowercase hex digits/));
  assert.equal(server.requests.length, before);
});

test("a want the remote does not have is a CONFLICT saying to list the refs again", async () => {
  const env = { DW_GIT_USERNAME: "ann", DW_GIT_PASSWORD: "s3cret-token" };
  const dave = await openWorkspace(join(root, "dave"));
  const transport = createHttpTransport(dave, "origin", server.url("team.git"), { env });
  await assert.rejects(transport.fetch(["1".repeat(40)]), (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, "CONFLICT");
    assert.match(e.message, /origin .*refused the fetch: .*not our ref 1{40}/);
    assert.match(e.hint!, /list the remote's refs again/);
    return true;
  });
});

test("an advertisement with a bad ref name or id is a DATA_ERROR naming the remote", async () => {
  const advertise = (lines: string[]) =>
    startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-git-upload-pack-advertisement" });
      res.end(Buffer.concat([pktLine("# service=git-upload-pack\n"), Buffer.from("0000"), ...lines.map((l) => pktLine(l)), Buffer.from("0000")]));
    });
  const id = "a".repeat(40);
  const good = await advertise([`${id} refs/dw/runs/a\0side-band-64k ofs-delta\n`, `${"b".repeat(40)} refs/heads/main\n`]);
  assert.deepEqual([...(await createHttpTransport(alice, "team", good).listRefs("refs/dw/"))], [["refs/dw/runs/a", id]]);
  for (const [lines, pattern] of [
    [[`${id} refs/dw/runs/a..b\0side-band-64k\n`], /names "refs\/dw\/runs\/a\.\.b", which is not a ref name/],
    [[`${id} refs/dw/runs/ok\0side-band-64k\n`, `${id} refs/dw/runs/.hidden\n`], /not a ref name/],
    [[`${"A".repeat(40)} refs/dw/runs/x\0side-band-64k\n`], /does not start with an object id/],
    [[`${id} refs/dw/runs/x\n`], /no capabilities/],
  ] as const) {
    const url = await advertise([...lines]);
    await assert.rejects(
      createHttpTransport(alice, "team", url).listRefs("refs/dw/"),
      dwError("DATA_ERROR", new RegExp(`team \\(${url}\\) sent a malformed ref advertisement: .*${pattern.source}`)),
    );
  }
});

test("a pack cut short or damaged on the way is refused and leaves nothing in objects/pack", async () => {
  const env = { DW_GIT_USERNAME: "ann", DW_GIT_PASSWORD: "s3cret-token" };
  let mode: "cut" | "flip" = "cut";
  // A proxy in front of the real server that spoils the upload-pack answer.
  const proxy = await startServer((req, res) => {
    const target = new URL(req.url!, server.origin);
    const up = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      if (!req.url!.endsWith("/git-upload-pack")) return void answer.pipe(res);
      const chunks: Buffer[] = [];
      answer.on("data", (c: Buffer) => chunks.push(c));
      answer.on("end", () => {
        const body = Buffer.concat(chunks);
        if (mode === "cut") res.end(body.subarray(0, body.length >> 1));
        else {
          body[body.length >> 1] ^= 0xff;
          res.end(body);
        }
      });
    });
    req.pipe(up);
  });
  const carol = await openWorkspace(join(root, "carol"));
  // What a receiver killed before its renames left behind (a process that no longer runs).
  const leftover = join(carol.gitdir, "dw-tmp", "pack.999999999.0badc0de");
  await mkdir(leftover, { recursive: true });
  await writeFile(join(leftover, "incoming.pack"), "PACK");
  const packDir = join(carol.gitdir, "objects", "pack");
  const packs = async () => (await readdir(packDir).catch(() => [])).filter((n) => n.startsWith("pack-"));
  for (const m of ["cut", "flip"] as const) {
    mode = m;
    await assert.rejects(
      createHttpTransport(carol, "origin", `${proxy}/team.git`, { env }).fetch([tip]),
      dwError("DATA_ERROR", /origin .*(damaged pack|not git's protocol)/),
    );
    assert.deepEqual(await packs(), []);
    assert.deepEqual(await readdir(join(carol.gitdir, "dw-tmp")).then((n) => n.filter((x) => x.startsWith("pack."))), []);
  }
  await assert.rejects(carol.readCommit(tip));
  await createHttpTransport(carol, "origin", server.url("team.git"), { env }).fetch([tip]);
  assert.equal((await packs()).length, 2, "one .pack and its .idx");
  assert.equal((await carol.readCommit(tip)).message, "run\n");
});
