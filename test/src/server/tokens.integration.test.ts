// Scoring tokens (issue 13): a dw serve bound beyond loopback answers only requests that carry the
// workspace's token, and dw's own clients send it. Real `dw serve` processes, real HTTP.
import { stopWorkspaceServer } from "../../helpers/tempWorkspace.js";
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import net from "node:net";
import { chmod, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { runTool, openWorkspace } from "../../../src/index.js";
import { findServer, ensureServer } from "../../../src/server/ensureServer.js";
import { authHeaders } from "../../../src/server/token.js";
import { DW_VERSION } from "../../../src/version.js";
import { ok } from "../../helpers/results.js";
import { servedWorkspace, rawRequest, score, TEMP_ROW, type ServedWorkspace } from "./serverFixture.js";
import { startServe, failingServe, type ServeProcess } from "./serveProcess.js";

let sw: ServedWorkspace;
let expected: number;
let running: ServeProcess | undefined;
const tokenFile = () => join(sw.tw.dir, ".dw", "serve-token");
const readTokenFile = async () => (await readFile(tokenFile(), "utf8")).trim();
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

before(async () => {
  sw = await servedWorkspace();
});
after(async () => {
  await running?.stop();
  await sw.tw.cleanup();
});

/** Every kind of route: health, metadata, scoring (MLflow and OIP), metrics and status, and one that does not exist. */
const ROUTES: { method: string; path: string; body?: string }[] = [
  { method: "GET", path: "/ping" },
  { method: "GET", path: "/health" },
  { method: "GET", path: "/version" },
  { method: "GET", path: "/metrics" },
  { method: "GET", path: "/status" },
  { method: "GET", path: "/models/temp@production" },
  { method: "GET", path: "/models/temp/1" },
  { method: "POST", path: "/models/temp@production/invocations", body: JSON.stringify(TEMP_ROW) },
  { method: "POST", path: "/models/temp/1/invocations", body: JSON.stringify(TEMP_ROW) },
  { method: "GET", path: "/v2/models/temp" },
  { method: "GET", path: "/no/such/route" },
];

test("on loopback no token is needed and none is made", async () => {
  const r = await score(sw.base, "/models/temp@production/invocations", TEMP_ROW);
  assert.equal(r.status, 200, r.text);
  expected = r.json.predictions[0];
  await assert.rejects(stat(tokenFile()), { code: "ENOENT" });
  assert.equal(JSON.parse(await readFile(join(sw.tw.dir, ".dw", "server.json"), "utf8")).auth, undefined);
  assert.deepEqual(await authHeaders(await openWorkspace(sw.tw.dir)), {});
});

test("bound to 0.0.0.0, dw serve makes a token only its owner can read, outside git, and answers nothing without it", async () => {
  await stopWorkspaceServer(sw.tw.dir);
  running = await startServe(sw.tw.dir, ["--host", "0.0.0.0"]);
  assert.match(running.url, /^http:\/\/0\.0\.0\.0:\d+$/);
  const token = await readTokenFile();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await stat(tokenFile())).mode & 0o777, 0o600);
  // .dw/ is excluded by the workspace, so the token never shows in git status or a commit.
  execFileSync("git", ["check-ignore", "-q", ".dw/serve-token"], { cwd: sw.tw.dir });
  assert.doesNotMatch(execFileSync("git", ["status", "--porcelain", "--ignored=no"], { cwd: sw.tw.dir, encoding: "utf8" }), /serve-token/);
  // Neither the log nor what dw serve prints holds the token.
  assert.ok(!running.stdout().includes(token) && !running.stderr().includes(token));
  assert.match(running.stdout(), /Authorization: Bearer/);

  const wrong = "A".repeat(43);
  const answers = new Set<string>();
  for (const { method, path, body } of ROUTES) {
    for (const headers of [{}, bearer(wrong), bearer(`${token}x`), bearer(token.slice(0, -1)), { Authorization: `Basic ${token}` }, { Authorization: token }]) {
      const r = await rawRequest(running.base, { method, path, body, headers: { "Content-Type": "application/json", ...headers } });
      const what = `${method} ${path} with ${JSON.stringify(headers)}`;
      assert.equal(r.status, 401, `${what}: ${r.body}`);
      assert.match(String(r.headers["www-authenticate"]), /^Bearer realm="dw serve"/, what);
      assert.equal(/invalid_token/.test(String(r.headers["www-authenticate"])), "Authorization" in headers, what);
      const json = JSON.parse(r.body);
      assert.deepEqual(Object.keys(json).sort(), ["error_code", "message"], what);
      assert.equal(json.error_code, "UNAUTHENTICATED");
      assert.match(json.message, /Authorization: Bearer <token>/);
      assert.match(json.message, /\.dw\/serve-token/);
      assert.ok(!r.body.includes(DW_VERSION) && !/temp|production|predictions|Allow/.test(r.body), `${what}: ${r.body}`);
      assert.equal(r.headers.allow, undefined, what);
      answers.add(r.body);
    }
  }
  // The same words on every route: nothing about which routes, models or versions exist.
  assert.equal(answers.size, 1);
  // Two Authorization headers, one of them right, are not the token.
  const twice = await rawHttp(
    running.base,
    `GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n`,
  );
  assert.match(twice, /^HTTP\/1\.1 401 /);

  // With the token, everything answers as on loopback (the scheme's case does not matter).
  assert.equal((await rawRequest(running.base, { path: "/ping", headers: bearer(token) })).status, 200);
  assert.equal((await rawRequest(running.base, { path: "/ping", headers: { Authorization: `bearer ${token}` } })).status, 200);
  assert.equal(JSON.parse((await rawRequest(running.base, { path: "/models/temp@production", headers: bearer(token) })).body).version, 1);
  for (const path of ["/models/temp@production/invocations", "/models/temp/1/invocations"]) {
    const r = await score(running.base, path, TEMP_ROW, bearer(token));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.predictions[0], expected);
  }
});

test("dw's own clients send the token: findServer, ensureServer, deploy_model's check and its curl line, get_workspace_state", async () => {
  assert.ok(running);
  const ws = await openWorkspace(sw.tw.dir);
  const token = await readTokenFile();
  assert.deepEqual(await authHeaders(ws), bearer(token));
  const found = await findServer(ws);
  assert.equal(found?.pid, running.child.pid);
  assert.equal((await ensureServer(ws)).pid, running.child.pid, "ensureServer found the token server instead of starting another");

  const dep = ok(await runTool("deploy_model", { model_name: "temp", alias: "staging" }, sw.ctx));
  assert.equal(dep.server_url, running.url);
  assert.ok(!dep.curl.includes(token), "the curl line reads the token from its file instead of showing it");
  assert.match(dep.curl, /-H "Authorization: Bearer \$\(cat \.dw\/serve-token\)"/);
  // The line works as pasted into a shell in the workspace.
  const out = JSON.parse(execFileSync("sh", ["-c", dep.curl], { cwd: sw.tw.dir, encoding: "utf8" }));
  assert.equal(out.predictions.length, 1);
  assert.equal(typeof out.predictions[0], "number");

  const state = ok(await runTool("get_workspace_state", {}, sw.ctx));
  const staging = state.endpoints.find((e: { alias: string }) => e.alias === "staging");
  assert.ok(staging?.curl && !staging.curl.includes(token));
  assert.match(staging.curl, /Authorization: Bearer \$\(cat \.dw\/serve-token\)/);
});

test("the token survives a restart, is narrowed back to 0600, and --rotate-token replaces it (not while a server holds the old one)", async () => {
  assert.ok(running);
  const token = await readTokenFile();
  await running.stop();
  await chmod(tokenFile(), 0o644);
  running = await startServe(sw.tw.dir, ["--host", "0.0.0.0"]);
  assert.equal(await readTokenFile(), token);
  assert.equal((await stat(tokenFile())).mode & 0o777, 0o600);
  assert.match(running.stderr(), /readable by others/);
  assert.equal((await rawRequest(running.base, { path: "/ping", headers: bearer(token) })).status, 200);

  const refused = await failingServe(sw.tw.dir, ["--host", "0.0.0.0", "--rotate-token"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /already runs/);
  assert.match(refused.stderr, /Stop it first, then rotate the token/);
  assert.equal(await readTokenFile(), token);

  await running.stop();
  running = await startServe(sw.tw.dir, ["--host", "0.0.0.0", "--rotate-token"]);
  const rotated = await readTokenFile();
  assert.notEqual(rotated, token);
  assert.match(rotated, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await stat(tokenFile())).mode & 0o777, 0o600);
  assert.equal((await rawRequest(running.base, { path: "/ping", headers: bearer(token) })).status, 401);
  assert.equal((await rawRequest(running.base, { path: "/ping", headers: bearer(rotated) })).status, 200);
  await running.stop();
  running = undefined;
});

test("--require-token checks the token on loopback too; --allow-remote is a usage error that says what replaced it", async () => {
  const strict = await startServe(sw.tw.dir, ["--require-token"]);
  try {
    assert.match(strict.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const token = await readTokenFile();
    assert.equal((await rawRequest(strict.base, { path: "/ping" })).status, 401);
    assert.equal((await score(strict.base, "/models/temp@production/invocations", TEMP_ROW)).status, 401);
    assert.equal((await score(strict.base, "/models/temp@production/invocations", TEMP_ROW, bearer(token))).status, 200);
    assert.equal((await findServer(await openWorkspace(sw.tw.dir)))?.pid, strict.child.pid);
  } finally {
    await strict.stop();
  }
  const gone = await failingServe(sw.tw.dir, ["--host", "0.0.0.0", "--allow-remote"]);
  assert.equal(gone.code, 2);
  assert.match(gone.stderr, /--allow-remote is gone/);
  assert.match(gone.stderr, /\.dw\/serve-token/);
});

/** Sends bytes as they are (two headers of one name, which http.request would not write) and reads the answer until the server closes. */
function rawHttp(base: string, text: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket: net.Socket = net.connect(Number(url.port), url.hostname, () => socket.write(text));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (answer += d));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}
