import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { tools } from "../../../src/tools/allTools.js";
import { connectHttp, startHttpServer, type HttpServerProcess } from "./mcpClients.js";

// dw mcp --http: streamable HTTP behind the workspace's token, always, and on loopback only for
// requests addressed to loopback names. Driven by the SDK's own client over real HTTP.

let tw: TempWorkspace;
let server: HttpServerProcess;
let token: string;

before(async () => {
  tw = await makeTempWorkspace("dw-mcp-http-");
  server = await startHttpServer(tw.dir);
  token = (await readFile(join(tw.dir, ".dw", "serve-token"), "utf8")).trim();
});
after(async () => {
  await server?.stop();
  await tw.cleanup();
});

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "0" } },
});

/** One POST of initialize with exactly these headers (Host included), as a browser or curl could send it. */
function post(headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent: false,
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(initialize);
  });
}

test("it prints its URL and the token file, which it made with mode 0600", async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  assert.ok(server.stdout().includes(`Authorization: Bearer <the token in ${join(tw.dir, ".dw", "serve-token")}>`), server.stdout());
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const { statSync } = await import("node:fs");
  assert.equal(statSync(join(tw.dir, ".dw", "serve-token")).mode & 0o777, 0o600);
});

test("without the token, or with another, every request is a 401 naming where the token is; the SDK's client cannot connect", async () => {
  const none = await post({});
  assert.equal(none.status, 401);
  assert.equal(none.headers["www-authenticate"], 'Bearer realm="dw mcp"');
  assert.match(JSON.parse(none.body).message, /Authorization: Bearer <token>.*\.dw\/serve-token/);
  const wrong = await post({ Authorization: `Bearer ${"x".repeat(43)}` });
  assert.equal(wrong.status, 401);
  assert.match(wrong.headers["www-authenticate"] ?? "", /invalid_token/);
  const client = new Client({ name: "no-token", version: "0" });
  await assert.rejects(client.connect(new StreamableHTTPClientTransport(new URL(server.url))));
});

test("on loopback, a Host header that names another host is refused even with the token (DNS rebinding)", async () => {
  const rebound = await post({ Host: "attacker.example:80", Authorization: `Bearer ${token}` });
  assert.equal(rebound.status, 403);
  const local = await post({ Host: `localhost:${new URL(server.url).port}`, Authorization: `Bearer ${token}` });
  assert.equal(local.status, 200);
});

test("with the token: every tool is listed, calls answer with progress over the request's stream, and two clients have sessions of their own", async () => {
  const a = await connectHttp(server.url, token);
  const b = await connectHttp(server.url, token);
  try {
    const { tools: listed } = await a.listTools();
    assert.deepEqual(
      listed.map((t) => t.name),
      tools.map((t) => t.name),
    );
    const loaded = await a.callTool({ name: "load_dataset", arguments: { path: "data/seattle-weather.csv", dataset_id: "weather" } });
    assert.notEqual(loaded.isError, true, JSON.stringify(loaded.content));
    const progress: number[] = [];
    const trained = await a.callTool(
      { name: "train_model", arguments: { dataset_id: "weather", target: "temp_max", algorithm: "random_forest", hyperparameters: { n_estimators: 20 } } },
      undefined,
      { timeout: 120_000, onprogress: (p) => progress.push(p.progress) },
    );
    assert.notEqual(trained.isError, true, JSON.stringify(trained.content));
    assert.ok(progress.length >= 1);
    const runId = (trained.structuredContent as { run_id: string }).run_id;
    // The other session reads what the first one wrote.
    const runs = await b.readResource({ uri: "dw://runs" });
    assert.deepEqual(JSON.parse((runs.contents[0] as { text: string }).text).runs, [{ run_id: runId, uri: `dw://runs/${runId}` }]);
    const failed = await b.callTool({ name: "get_table_schema", arguments: { dataset_id: "nope" } });
    assert.equal(failed.isError, true);
    assert.equal((failed._meta as Record<string, { code: string }>)["dw/error"].code, "NOT_FOUND");
  } finally {
    await a.close();
    await b.close();
  }
  const stale = await post({ Authorization: `Bearer ${token}`, "Mcp-Session-Id": "no-such-session" });
  assert.equal(stale.status, 404);
});

test("SIGTERM stops it with exit code 0; --port without --http is a usage error", async () => {
  assert.equal(await server.stop(), 0);
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), "mcp", "--port", "8000", "--workspace", tw.dir], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--port and --host go with --http/);
  const missing = spawnSync(process.execPath, [join(repoRoot, "bin", "dw.js"), "mcp", "--workspace", join(tw.dir, "nope")], { encoding: "utf8" });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /does not exist/);
});
