import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheFile, cachePath, hashFile } from "../../../../src/data/dataCache.js";
import { createS3Cache } from "../../../../src/data/sharedCache/createS3Cache.js";
import { openSharedCache } from "../../../../src/data/sharedCache/openSharedCache.js";
import { s3Settings } from "../../../../src/data/sharedCache/s3Settings.js";
import { type DwError, isDwError } from "../../../../src/errors/DwError.js";
import { openWorkspace, type Workspace } from "../../../../src/workspace/Workspace.js";
import { type MotoS3, startMotoS3 } from "./motoS3.js";

// S3 transfers end: a server that stops moving bytes is a CONNECTION_ERROR naming the endpoint
// after the stall limit (against real node:http servers that stall), and the caller's signal
// stops a transfer under way (against a real S3 server, moto's).

let s3: MotoS3;
let base: string;
let alice: Workspace;
let bob: Workspace;
const servers: Server[] = [];

before(async () => {
  s3 = await startMotoS3();
  base = await mkdtemp(join(tmpdir(), "dw-shared-s3-transfer-"));
  alice = await openWorkspace(join(base, "alice"));
  bob = await openWorkspace(join(base, "bob"));
});

after(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await s3?.stop();
  if (base) await rm(base, { recursive: true, force: true });
});

function env(endpoint: string): NodeJS.ProcessEnv {
  return {
    DW_SHARED_CACHE: `s3://${s3.bucket}/teams/ml`,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
}

/** A real HTTP server on a free port of 127.0.0.1 that handles each request with `handler`. */
async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

/** A file of `bytes` random bytes, cached in alice's workspace. */
async function cachedFile(name: string, bytes: number): Promise<string> {
  const file = join(alice.root, name);
  await writeFile(file, randomBytes(bytes));
  return (await alice.withLock(() => cacheFile(alice, file))).sha256;
}

/** The cache at `endpoint` for `ws`, with a short stall limit. */
async function cacheAt(ws: Workspace, endpoint: string, options: { stallMs?: number; signal?: AbortSignal } = {}) {
  const settings = await s3Settings(ws, { value: `s3://${s3.bucket}/teams/ml`, source: "DW_SHARED_CACHE" }, env(endpoint));
  return createS3Cache(ws, settings, options);
}

/** The outcome of `p` within `ms`: its error, "resolved", or "still running" (the bug: a call that never returns). */
async function outcome(p: Promise<unknown>, ms: number): Promise<DwError | string> {
  return Promise.race([
    p.then(
      () => "resolved",
      (e: unknown) => (isDwError(e) ? e : `not a DwError: ${String(e)}`),
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve("still running"), ms)),
  ]);
}

/** The temp files left in bob's local cache folder for `sha256`. */
async function localLeftovers(sha256: string): Promise<string[]> {
  return readdir(join(bob.dwDir, "cache", "sha256", sha256.slice(0, 2))).catch(() => [] as string[]);
}

test("a server that accepts and never answers, or stops sending mid-file, fails the transfer after the stall limit, naming the endpoint", {
  timeout: 30_000,
}, async () => {
  const sha256 = await cachedFile("stalled.bin", 3_000_000);
  const silent = await startServer(() => undefined);
  const cache = await cacheAt(bob, silent, { stallMs: 400 });
  const stalled = (e: DwError | string, action: string, endpoint = silent) => {
    assert.ok(typeof e !== "string", e as string);
    assert.equal(e.code, "CONNECTION_ERROR", e.message);
    assert.equal(e.message, `${endpoint} moved no byte for 0.4 s while dw was trying to ${action} the shared cache s3://${s3.bucket}/teams/ml, so dw gave up.`);
    assert.match(e.hint ?? "", /check that the endpoint is up and reachable/);
    assert.deepEqual(e.details, { shared_cache: `s3://${s3.bucket}/teams/ml`, endpoint, stall_ms: 400 });
  };
  let started = Date.now();
  stalled(await outcome(cache.get(sha256), 5000), "read from");
  assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
  assert.deepEqual(await localLeftovers(sha256), []);
  started = Date.now();
  // put: its HEAD (has) stalls first.
  stalled(await outcome(cache.put(sha256, cachePath(alice, sha256)), 5000), "look in");

  // A server that answers 200 and sends part of the body, then nothing.
  const halfway = await startServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-length": "3000000" });
    res.write(Buffer.alloc(100_000));
  });
  stalled(await outcome((await cacheAt(bob, halfway, { stallMs: 400 })).get(sha256), 5000), "read from", halfway);
  assert.deepEqual(await localLeftovers(sha256), [], "no temp file left");
  assert.equal(await stat(cachePath(bob, sha256)).catch(() => null), null);

  // A server that has the bucket but not the object, and takes the PUT's headers but reads none of its 3 MB.
  const deaf = await startServer((req, res) => {
    if (req.method === "HEAD") {
      res.writeHead(req.url === `/${s3.bucket}` ? 200 : 404);
      res.end();
      return;
    }
    if (req.method === "PUT") return void req.pause();
    res.writeHead(200);
    res.end();
  });
  stalled(await outcome((await cacheAt(bob, deaf, { stallMs: 400 })).put(sha256, cachePath(alice, sha256)), 5000), "write to", deaf);
});

test("a slow transfer whose bytes keep coming is not cut by the stall limit", { timeout: 30_000 }, async () => {
  const content = randomBytes(200_000);
  const sha256 = createHash("sha256").update(content).digest("hex");
  // 20 chunks 100 ms apart: 2 s in all, each gap under the 400 ms limit.
  const trickle = await startServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-length": String(content.length) });
    let i = 0;
    const step = () => {
      res.write(content.subarray(i * 10_000, (i + 1) * 10_000));
      if (++i < 20) setTimeout(step, 100);
      else res.end();
    };
    step();
  });
  const started = Date.now();
  assert.equal(await (await cacheAt(bob, trickle, { stallMs: 400 })).get(sha256), true);
  assert.ok(Date.now() - started >= 1800);
  assert.equal(await hashFile(cachePath(bob, sha256)), sha256);
});

test("the caller's signal stops a get from a real S3 server mid-transfer and a put before it starts (INTERRUPTED), keeping nothing", {
  timeout: 60_000,
}, async () => {
  const big = await cachedFile("big-for-abort.bin", 64 * 2 ** 20);
  await (await openSharedCache(alice, env(s3.endpoint)))!.put(big, cachePath(alice, big));

  // Abort once the download has started writing bob's temp file.
  const controller = new AbortController();
  const shared = (await openSharedCache(bob, env(s3.endpoint), { signal: controller.signal }))!;
  const folder = join(bob.dwDir, "cache", "sha256", big.slice(0, 2));
  const watcher = setInterval(async () => {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const n of names.filter((x) => x.endsWith(".tmp"))) if (((await stat(join(folder, n)).catch(() => null))?.size ?? 0) > 0) controller.abort();
  }, 2);
  const e = await outcome(shared.get(big), 30_000);
  clearInterval(watcher);
  assert.ok(controller.signal.aborted, "the transfer was under way when the signal aborted");
  assert.ok(typeof e !== "string", e as string);
  assert.equal(e.code, "INTERRUPTED", e.message);
  assert.equal(e.message, `Stopped the request to ${s3.endpoint} to read from the shared cache s3://${s3.bucket}/teams/ml.`);
  assert.deepEqual(await localLeftovers(big), [], "no temp file left");
  assert.equal(await stat(cachePath(bob, big)).catch(() => null), null);
  // Without the signal, the same get works.
  assert.equal(await (await openSharedCache(bob, env(s3.endpoint)))!.get(big), true);

  const small = await cachedFile("never-sent.bin", 1000);
  const cancelled = (await openSharedCache(alice, env(s3.endpoint), { signal: AbortSignal.abort() }))!;
  const refused = await outcome(cancelled.put(small, cachePath(alice, small)), 5000);
  assert.ok(typeof refused !== "string", refused as string);
  assert.equal(refused.code, "INTERRUPTED");
  assert.equal(await (await openSharedCache(bob, env(s3.endpoint)))!.has(small), false, "nothing was stored");
});
