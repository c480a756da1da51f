import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat, writeFile, mkdir, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitObject } from "../../../src/workspace/gitObject.js";
import { writeLooseObjects } from "../../../src/workspace/writeLooseObjects.js";

/**
 * writeLooseObjects decides per object whether it is already stored (a non-empty file at its path)
 * before writing it: an object there is left alone, an empty file (what a writer killed mid-write
 * by older code left) is written again, and what it writes is what git reads.
 */

const git = (dir: string, args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });

async function repo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dw-loose-"));
  git(dir, ["init", "-q"]);
  return dir;
}

const objectPath = (dir: string, oid: string) => join(dir, ".git", "objects", oid.slice(0, 2), oid.slice(2));

test("objects written are read back by git, each once, and no temp file is left", async () => {
  const dir = await repo();
  try {
    const blobs = Array.from({ length: 40 }, (_, i) => gitObject("blob", Buffer.from(`file ${i}\n`)));
    // The same object twice in one call is written once.
    await writeLooseObjects(join(dir, ".git"), [...blobs, blobs[0]]);
    for (const [i, b] of blobs.entries()) {
      assert.equal(git(dir, ["cat-file", "-p", b.oid]), `file ${i}\n`);
    }
    assert.deepEqual(await readdir(join(dir, ".git", "dw-tmp")), []);
    git(dir, ["fsck", "--no-dangling"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("an object already stored is not written again; an empty file in its place is", async () => {
  const dir = await repo();
  try {
    const kept = gitObject("blob", Buffer.from("kept\n"));
    const emptied = gitObject("blob", Buffer.from("emptied by a killed writer\n"));
    await writeLooseObjects(join(dir, ".git"), [kept]);
    const before = await stat(objectPath(dir, kept.oid));
    await mkdir(join(dir, ".git", "objects", emptied.oid.slice(0, 2)), { recursive: true });
    await writeFile(objectPath(dir, emptied.oid), "");

    await writeLooseObjects(join(dir, ".git"), [kept, emptied]);
    const after = await stat(objectPath(dir, kept.oid));
    // Renaming a new copy in would give the path another inode.
    assert.equal(after.ino, before.ino);
    assert.equal(git(dir, ["cat-file", "-p", emptied.oid]), "emptied by a killed writer\n");
    assert.ok((await stat(objectPath(dir, emptied.oid))).size > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a file where an object's folder should be fails the write and leaves no temp file", async () => {
  const dir = await repo();
  try {
    const blob = gitObject("blob", Buffer.from("blocked\n"));
    await writeFile(join(dir, ".git", "objects", blob.oid.slice(0, 2)), "not a folder");
    await assert.rejects(writeLooseObjects(join(dir, ".git"), [blob]));
    assert.deepEqual(await readdir(join(dir, ".git", "dw-tmp")).catch(() => []), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
