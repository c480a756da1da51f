import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openWorkspace } from "../../../src/workspace/Workspace.js";

/** A child node that installs `pack` into the repository at `gitdir` with installPack, the way a fetch does. */
const INSTALL = `
const [, modulePath, gitdir, pack] = process.argv;
const { createReadStream } = await import("node:fs");
const { installPack } = await import(modulePath);
const result = await installPack(gitdir, createReadStream(pack), "test", 1e9);
console.log(JSON.stringify({ base: result.base, objects: result.oids.length }));
`;

test("installPack fsyncs objects/pack after renaming the .pack and .idx into it, so a crash cannot lose the entries (seen by strace)", async (t) => {
  if (spawnSync("strace", ["-V"]).status !== 0) return t.skip("strace is not installed");
  const root = await mkdtemp(join(tmpdir(), "dw-install-pack-"));
  try {
    const source = await openWorkspace(join(root, "source"));
    const tip = await source.commit({ ref: "refs/dw/runs/r1", message: "run", files: { "run.json": "{}\n" } });
    const packBase = join(root, "out");
    execFileSync("git", ["--git-dir", source.gitdir, "pack-objects", "-q", "--revs", packBase], { input: `${tip}\n` });
    const pack = join(root, (await readdir(root)).find((n) => n.startsWith("out-") && n.endsWith(".pack"))!);
    const target = await openWorkspace(join(root, "target"));
    const modulePath = fileURLToPath(new URL("../../../src/gitRemote/installPack.js", import.meta.url));
    const trace = join(root, "strace.txt");
    const run = spawnSync(
      "strace",
      [
        "-f",
        "-qq",
        "-e",
        "trace=openat,rename,renameat,renameat2,fsync,fdatasync",
        "-o",
        trace,
        process.execPath,
        "--input-type=module",
        "-e",
        INSTALL,
        modulePath,
        target.gitdir,
        pack,
      ],
      { encoding: "utf8" },
    );
    if (run.status !== 0 && /ptrace|Operation not permitted/.test(run.stderr)) return t.skip(`strace cannot trace here: ${run.stderr.trim()}`);
    assert.equal(run.status, 0, run.stderr);
    const { base } = JSON.parse(run.stdout) as { base: string };
    assert.ok(base.startsWith(join(target.gitdir, "objects", "pack", "pack-")));

    const calls = (await readFile(trace, "utf8")).split("\n").map((l) => l.replace(/^\d+\s+/, ""));
    const idxRename = calls.findIndex((c) => /^rename(at2?)?\(.*incoming\.idx".*\.idx"/.test(c));
    assert.ok(idxRename >= 0, "the .idx is renamed into objects/pack");
    const packDir = join(target.gitdir, "objects", "pack");
    // The descriptors opened on objects/pack itself after that rename, and whether one is fsynced.
    const dirFds = new Set<string>();
    let synced = false;
    for (const c of calls.slice(idxRename + 1)) {
      const opened = /^openat\(AT_FDCWD, "([^"]+)", [^)]*\) = (\d+)/.exec(c);
      if (opened && opened[1].replace(/\/$/, "") === packDir) dirFds.add(opened[2]);
      const sync = /^f(?:data)?sync\((\d+)\)\s+= 0/.exec(c);
      if (sync && dirFds.has(sync[1])) synced = true;
    }
    assert.ok(synced, `no fsync of ${packDir} after the renames:\n${calls.slice(idxRename).join("\n")}`);
    assert.equal((await target.readCommit(tip)).message, "run\n");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
