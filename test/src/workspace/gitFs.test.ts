import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWorkspace } from "../../../src/index.js";

test("an empty object file (a writer killed mid-write) is written again, and objects are never left half-written", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-gitfs-"));
  try {
    const ws = await openWorkspace(dir);
    const content = '{"format": "dw.model/1"}\n';
    const oid = execFileSync("git", ["hash-object", "--stdin"], { cwd: dir, input: content, encoding: "utf8" }).trim();
    // What isomorphic-git's plain writeFile left when the process died between open and write.
    await mkdir(join(dir, ".git", "objects", oid.slice(0, 2)), { recursive: true });
    await writeFile(join(dir, ".git", "objects", oid.slice(0, 2), oid.slice(2)), "");
    const commit = await ws.commit({ ref: "refs/dw/runs/20261203-000000-abcdef", message: "run", files: { "model.json": content } });
    assert.equal(execFileSync("git", ["cat-file", "-p", `${commit}:model.json`], { cwd: dir, encoding: "utf8" }), content);
    const fsck = spawnSync("git", ["fsck", "--full"], { cwd: dir, encoding: "utf8" });
    assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
    // Objects are staged outside objects/ and renamed in: nothing is left behind there.
    assert.deepEqual(await readdir(join(dir, ".git", "dw-tmp")), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
