import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSystemError } from "../../../src/errors/fileSystemError.js";

/** The error Node.js itself throws for `fn`. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

test("a real ENOTDIR and EISDIR from Node.js become WORKSPACE_ERROR naming the path, the reason and what to do", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-fserr-"));
  try {
    const file = join(dir, "file");
    await (await open(file, "w")).close();
    const notDir = fileSystemError(await thrown(() => open(join(file, "lock"), "wx")));
    assert.equal(notDir?.code, "WORKSPACE_ERROR");
    assert.equal(notDir?.message, `dw cannot open ${join(file, "lock")}: a part of the path is a file where a folder is expected.`);
    assert.deepEqual(notDir?.details, { path: join(file, "lock"), error: "ENOTDIR", syscall: "open" });
    assert.match(notDir?.hint ?? "", /Move aside the file/);

    const isDir = fileSystemError(await thrown(() => open(dir, "w")));
    assert.equal(isDir?.details?.error, "EISDIR");
    assert.ok(isDir?.message.includes(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("permission errors name the folder to fix in the hint; a full disk without a path names the workspace", () => {
  const denied = fileSystemError(Object.assign(new Error("EACCES: permission denied"), { code: "EACCES", syscall: "mkdir", path: "/ws/.dw" }));
  assert.equal(denied?.message, "dw cannot create the folder /ws/.dw: permission denied.");
  assert.match(denied?.hint ?? "", /^Make \/ws and what it holds readable and writable/);

  const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
  assert.equal(fileSystemError(full), null, "no path and no workspace: nothing to name");
  const named = fileSystemError(full, "/ws");
  assert.equal(named?.message, "dw cannot write a file in /ws: no space left on the device.");
  assert.deepEqual(named?.details, { path: "/ws", error: "ENOSPC", syscall: "write" });
});

test("anything else is not the machine's condition: null, so the caller reports it as the fault it is", () => {
  assert.equal(fileSystemError(new TypeError("x is undefined")), null);
  assert.equal(fileSystemError(Object.assign(new Error("ENOENT"), { code: "ENOENT", syscall: "open", path: "/ws/x" })), null);
  assert.equal(fileSystemError("EACCES"), null);
});
