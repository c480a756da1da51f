import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openTransport } from "../../../src/gitRemote/openTransport.js";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { type GitHttpServer, createBareRepository, startGitHttpServer } from "./gitHttpServer.js";

// openTransport's HTTP branch against a real git http-backend: what the caller passes (its
// interrupt) reaches the transport it opens.

let root: string;
let server: GitHttpServer;
let ws: Workspace;
/** While set, the server holds every request before git sees it (a remote that hangs). */
let stall: Promise<void> | null = null;
let release: () => void = () => undefined;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "dw-open-transport-"));
  const bare = createBareRepository(root, "team.git");
  server = await startGitHttpServer({ root, beforeRequest: () => stall ?? undefined });
  ws = await openWorkspace(join(root, "ws"));
  await ws.commit({ ref: "refs/dw/runs/r1", message: "run", files: { "run.json": "{}\n" } });
  execFileSync("git", ["push", "-q", bare, "refs/dw/*:refs/dw/*"], { cwd: ws.root });
});

after(async () => {
  release();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

test("an https remote opened by openTransport stops when the caller's signal aborts (a cancelled tool call), well before any timeout", async () => {
  // Unstalled, the same transport answers: the server and the URL are right.
  const answering = await openTransport(ws, server.url("team.git"));
  assert.equal((await answering.listRefs("refs/dw/")).size, 1);

  stall = new Promise<void>((resolve) => {
    release = resolve;
  });
  const controller = new AbortController();
  const transport = await openTransport(ws, server.url("team.git"), { signal: controller.signal });
  const started = Date.now();
  setTimeout(() => controller.abort(), 200);
  const outcome = await Promise.race([
    transport.listRefs("refs/dw/").then(
      () => ({ code: "answered", message: "" }),
      (e: Error & { code?: string }) => ({ code: e.code ?? "none", message: e.message }),
    ),
    new Promise<{ code: string; message: string }>((resolve) => setTimeout(() => resolve({ code: "still running", message: "" }), 4000)),
  ]);
  assert.equal(outcome.code, "INTERRUPTED", outcome.message);
  assert.match(outcome.message, /team\.git was stopped/);
  assert.ok(Date.now() - started < 2000, `stopped after ${Date.now() - started} ms`);
  release();
  stall = null;
});

test("a remote silent for longer than node's 5 s socket default (a big pack being counted) is waited for, up to the transport's own silence limit", {
  timeout: 30_000,
}, async () => {
  stall = new Promise<void>((resolve) => setTimeout(resolve, 6000));
  try {
    const transport = await openTransport(ws, server.url("team.git"));
    const started = Date.now();
    assert.equal((await transport.listRefs("refs/dw/")).size, 1);
    assert.ok(Date.now() - started >= 5900, `answered after ${Date.now() - started} ms`);
  } finally {
    stall = null;
  }
});
