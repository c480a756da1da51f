import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpTransport } from "../../../src/gitRemote/httpTransport.js";
import { FLUSH_PKT, pktLine } from "../../../src/gitRemote/pktLine.js";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { type GitHttpServer, createBareRepository, startGitHttpServer } from "./gitHttpServer.js";

// What a fetch over HTTP takes from a remote is bounded (DW_GIT_MAX_PACK_MB): a pack past the
// limit, or an answer that never ends, fails with an error naming the remote and the limit, and
// leaves nothing behind.

let root: string;
let server: GitHttpServer;
let alice: Workspace;
let tip: string;
const servers: Server[] = [];

before(async () => {
  root = await mkdtemp(join(tmpdir(), "dw-http-limits-"));
  const bare = createBareRepository(root, "team.git");
  server = await startGitHttpServer({ root, auth: { user: "ann", password: "s3cret-token" } });
  alice = await openWorkspace(join(root, "alice"));
  // 3 MB that do not compress: the pack is as large.
  tip = await alice.commit({ ref: "refs/dw/runs/r1", message: "run", files: { "run.json": "{}\n", "blob.bin": randomBytes(3_000_000) } });
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

/** The pack files and receiving folders in a workspace's git dir. */
async function leftovers(ws: Workspace): Promise<string[]> {
  const packs = await readdir(join(ws.gitdir, "objects", "pack")).catch(() => [] as string[]);
  const incoming = await readdir(join(ws.gitdir, "dw-tmp")).catch(() => [] as string[]);
  return [...packs.filter((n) => n.startsWith("pack-")), ...incoming.filter((n) => n.startsWith("pack."))];
}

test("a pack past DW_GIT_MAX_PACK_MB is refused as it arrives, naming the remote (redacted) and the limit; a higher limit takes it", async () => {
  const bob = await openWorkspace(join(root, "bob"));
  const url = server.url("team.git").replace("http://", "http://ann:s3cret-token@");
  await assert.rejects(
    createHttpTransport(bob, "origin", url, { env: { DW_GIT_MAX_PACK_MB: "1" } }).fetch([tip]),
    (e: Error & { code?: string; hint?: string; details?: object }) => {
      assert.equal(e.code, "DATA_ERROR", e.message);
      assert.match(e.message, /origin \(http:\/\/\*\*\*@127\.0\.0\.1:\d+\/team\.git\) sent more than 1 MB for one fetch/);
      assert.match(e.hint!, /DW_GIT_MAX_PACK_MB=4/);
      assert.ok(!JSON.stringify({ m: e.message, h: e.hint, d: e.details }).includes("s3cret-token"));
      return true;
    },
  );
  assert.deepEqual(await leftovers(bob), []);
  await assert.rejects(bob.readCommit(tip));

  await assert.rejects(createHttpTransport(bob, "origin", url, { env: { DW_GIT_MAX_PACK_MB: "lots" } }).fetch([tip]), (e: Error & { code?: string }) => {
    assert.equal(e.code, "CONFIG_ERROR");
    assert.match(e.message, /DW_GIT_MAX_PACK_MB is 'lots', not a whole number/);
    return true;
  });

  await createHttpTransport(bob, "origin", url, { env: { DW_GIT_MAX_PACK_MB: "8" } }).fetch([tip]);
  assert.equal((await bob.readText(tip, "blob.bin"))?.length !== undefined, true);
  assert.equal((await leftovers(bob)).length, 2, "one .pack and its .idx");
});

test("an upload-pack answer that never ends (a hostile remote) stops at the limit instead of filling memory", { timeout: 30_000 }, async () => {
  const oid = "a".repeat(40);
  let sent = 0;
  const hostile = createServer((req, res) => {
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "application/x-git-upload-pack-advertisement" });
      res.end(Buffer.concat([pktLine("# service=git-upload-pack\n"), FLUSH_PKT, pktLine(`${oid} refs/dw/runs/x\0side-band-64k ofs-delta\n`), FLUSH_PKT]));
      return;
    }
    req.resume();
    res.writeHead(200, { "content-type": "application/x-git-upload-pack-result" });
    // NAK lines forever, as fast as the client reads them.
    const chunk = Buffer.concat(Array.from({ length: 4096 }, () => pktLine("NAK\n")));
    const pump = () => {
      while (!res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
    };
    res.on("close", () => undefined);
    pump();
  });
  servers.push(hostile);
  await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
  const carol = await openWorkspace(join(root, "carol"));
  const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/team.git`;
  await assert.rejects(createHttpTransport(carol, "team", url, { env: { DW_GIT_MAX_PACK_MB: "1" } }).fetch([oid]), (e: Error & { code?: string }) => {
    assert.equal(e.code, "DATA_ERROR", e.message);
    assert.match(e.message, /team \(http:\/\/127\.0\.0\.1:\d+\/team\.git\) sent more than 1 MB for one fetch/);
    return true;
  });
  // What the server got out before the client stopped reading: the limit, some slack, and the sockets' buffers.
  assert.ok(sent < 16_000_000, `${sent} bytes sent`);
  assert.deepEqual(await leftovers(carol), []);
});
