import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm, unlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as IsoGit from "isomorphic-git";
import { openWorkspace } from "../../../src/workspace/Workspace.js";
import { commitObject } from "../../../src/workspace/commitObject.js";
import { gitFs } from "../../../src/workspace/gitFs.js";

/**
 * Workspace.commit encodes and hashes its objects itself and writes them side by side. What it
 * writes must be what git (and isomorphic-git, which wrote dw's commits before) make of the same
 * files, byte for byte, so every tree and commit keeps its id; and nothing may point at a commit
 * whose objects are not all there.
 */

const git = (dir: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } }).trim();
const isoGit = createRequire(import.meta.url)("isomorphic-git") as typeof IsoGit;

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "dw-objects-"));
}

/** The tree git's own index writes for these blobs (path → [mode, oid]). */
function gitWriteTree(dir: string, entries: [string, string, string][]): string {
  const index = join(dir, ".git", "test-index");
  const env = { GIT_INDEX_FILE: index };
  for (const [path, mode, oid] of entries) git(dir, ["update-index", "--add", "--cacheinfo", `${mode},${oid},${path}`], env);
  const tree = git(dir, ["write-tree"], env);
  execFileSync("rm", ["-f", index]);
  return tree;
}

test("a commit's trees are the ones git writes for the same files, in git's order of names (folders read with a trailing '/', UTF-8 bytes)", async () => {
  const dir = await tempDir();
  try {
    const ws = await openWorkspace(dir);
    // "a.b" sorts before the folder "a" ('.' < '/'), "a-b" before both; U+E000 sorts before U+1F600
    // in UTF-8 (and in git) though not in UTF-16; "B" before "a".
    const files: Record<string, string> = {
      "a.b": "1\n",
      "a/x.json": "2\n",
      "a/deeper/still/y.json": "3\n",
      "a-b": "4\n",
      B: "5\n",
      "\uE000.json": "6\n",
      "\u{1F600}.json": "7\n",
      "é/z.json": "8\n",
      "a0/w": "9\n",
    };
    const oid = await ws.commit({ ref: "refs/dw/runs/order", message: "order", files });
    const blobs = Object.entries(files).map(([path, text]): [string, string, string] => [
      path,
      "100644",
      execFileSync("git", ["hash-object", "--stdin"], { cwd: dir, input: text, encoding: "utf8" }).trim(),
    ]);
    assert.equal(git(dir, ["rev-parse", `${oid}^{tree}`]), gitWriteTree(dir, blobs));
    for (const [path, text] of Object.entries(files)) assert.equal(git(dir, ["cat-file", "blob", `${oid}:${path}`]) + "\n", text, path);
    const fsck = spawnSync("git", ["fsck", "--strict", "--full"], { cwd: dir, encoding: "utf8" });
    assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a commit object is the one git commit-tree writes, and the one isomorphic-git wrote, for every time zone and message shape", async () => {
  const dir = await tempDir();
  try {
    await openWorkspace(dir);
    const tree = gitWriteTree(dir, [
      ["f", "100644", execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: "x\n", encoding: "utf8" }).trim()],
    ]);
    const parent = git(dir, ["commit-tree", tree, "-m", "parent"]);
    // Minutes west of UTC, as Date#getTimezoneOffset gives them: UTC, India (+0530), New York (-0500), Chatham (+1345).
    for (const [offset, zone] of [
      [0, "+0000"],
      [-330, "+0530"],
      [300, "-0500"],
      [-825, "+1345"],
    ] as const) {
      const who = { name: "Data Scientist", email: "ds@example.com", timestamp: 1764806400, timezoneOffset: offset };
      const message = `dw run x\n\nmetrics: rmse=1\n`;
      const ours = commitObject({ tree, parents: [parent], author: who, committer: who, message });
      const env = {
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: `${who.timestamp} ${zone}`,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: `${who.timestamp} ${zone}`,
      };
      const msgFile = join(dir, "msg");
      await writeFile(msgFile, message);
      assert.equal(ours.oid, git(dir, ["commit-tree", tree, "-p", parent, "-F", msgFile], env), zone);
    }
    // Messages as callers give them (no final newline, carriage returns, blank lines around, -0):
    // the same bytes as isomorphic-git's commit encoding, which wrote every dw commit so far.
    for (const [message, timezoneOffset] of [
      ["one line", 0],
      ["\n\nleading blank lines\r\nand CRLF\r\n\n\n", 60],
      ["trailer\n\nDw-Run: x\nDw-Tool: train_model", -0],
      ["\n\n", -120],
    ] as const) {
      const who = { name: "dw", email: "dw@localhost", timestamp: 1700000000, timezoneOffset };
      const ours = commitObject({ tree, parents: [], author: who, committer: who, message });
      const theirs = await isoGit.writeObject({
        fs: gitFs,
        gitdir: join(dir, ".git"),
        type: "commit",
        format: "parsed",
        object: { tree, parent: [], author: who, committer: who, message },
      });
      assert.equal(ours.oid, theirs, JSON.stringify([message, timezoneOffset]));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a commit over a base keeps the base's entries as git wrote them (an executable file's mode too) and is the tree git writes", async () => {
  const dir = await tempDir();
  try {
    const ws = await openWorkspace(dir);
    const hash = (text: string) => execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: text, encoding: "utf8" }).trim();
    const base: [string, string, string][] = [
      ["run.json", "100644", hash("{}\n")],
      ["tools/run.sh", "100755", hash("#!/bin/sh\n")],
    ];
    const baseCommit = git(dir, ["commit-tree", gitWriteTree(dir, base), "-m", "base"]);
    const oid = await ws.commit({ ref: "refs/dw/models/m/1", message: "reg", base: baseCommit, parents: [baseCommit], files: { "registration.json": "{}\n" } });
    assert.equal(git(dir, ["rev-parse", `${oid}^{tree}`]), gitWriteTree(dir, [...base, ["registration.json", "100644", hash("{}\n")]]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("large and binary files are stored whole (the large ones deflated off the main thread), and git reads them back", async () => {
  const dir = await tempDir();
  try {
    const ws = await openWorkspace(dir);
    const large = "0123456789abcdef".repeat(40_000) + "\n"; // 640 kB, past the inline deflate limit
    const binary = new Uint8Array(256).map((_, i) => i);
    const oid = await ws.commit({ ref: "refs/dw/runs/big", message: "big", files: { "model.json": large, "bytes.bin": binary } });
    assert.equal(execFileSync("git", ["cat-file", "blob", `${oid}:model.json`], { cwd: dir, encoding: "utf8", maxBuffer: 4e6 }), large);
    assert.deepEqual(new Uint8Array(execFileSync("git", ["cat-file", "blob", `${oid}:bytes.bin`], { cwd: dir })), binary);
    assert.equal(await ws.readText(oid, "model.json"), large);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a path git would refuse, or that is both a file and a folder, is refused before anything is written", async () => {
  const dir = await tempDir();
  try {
    const ws = await openWorkspace(dir);
    const objects = async () => (await readdir(join(dir, ".git", "objects"))).filter((d) => /^[0-9a-f]{2}$/.test(d));
    const before = await objects();
    for (const path of [".git/config", "a/../b", "a/./b", "a//b", "/abs", "x\\y", "GIT~1/x", ".GIT. /x", "a/ ..", ".g\u200Cit/x", "nul\0byte"]) {
      await assert.rejects(
        ws.commit({ ref: "refs/dw/runs/bad", message: "bad", files: { "ok.json": "{}\n", [path]: "1\n" } }),
        (e: { code?: string; message?: string }) => e.code === "INVALID_INPUT" && e.message!.includes("cannot be a path in a git tree"),
        JSON.stringify(path),
      );
    }
    await assert.rejects(
      ws.commit({ ref: "refs/dw/runs/bad", message: "bad", files: { gates: "1\n", "gates/quality.json": "{}\n" } }),
      (e: { code?: string; message?: string }) => e.code === "INVALID_INPUT" && /'gates' is both a file and a folder/.test(e.message!),
    );
    assert.equal(await ws.readRef("refs/dw/runs/bad"), null);
    assert.deepEqual(await objects(), before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("when an object cannot be written, no ref names the commit, and a later commit of the same files writes them all", async () => {
  const dir = await tempDir();
  try {
    const ws = await openWorkspace(dir);
    // Objects are staged in .git/dw-tmp: a file in its place makes every object write fail.
    await writeFile(join(dir, ".git", "dw-tmp"), "in the way");
    const files = { "run.json": '{"a":1}\n', "gates/quality.json": '{"b":2}\n' };
    await assert.rejects(ws.commit({ ref: "refs/dw/runs/r", message: "r", files }));
    assert.equal(await ws.readRef("refs/dw/runs/r"), null);
    await unlink(join(dir, ".git", "dw-tmp"));
    const oid = await ws.commit({ ref: "refs/dw/runs/r", message: "r", files });
    assert.equal(await ws.readRef("refs/dw/runs/r"), oid);
    const fsck = spawnSync("git", ["fsck", "--strict", "--full"], { cwd: dir, encoding: "utf8" });
    assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the small files of a commit this process wrote are read back from memory (the next training's read of the last snapshot reads no object), with the size limit still applied", async () => {
  const dir = await tempDir();
  try {
    const ws = await openWorkspace(dir);
    const small = '{"rows": 1461}\n';
    const oid = await ws.commit({ ref: "refs/dw/runs/mem", message: "m", files: { "data/snapshot.json": small, "big.json": "x".repeat(5000) } });
    const blobPath = (text: string) => {
      const blob = execFileSync("git", ["hash-object", "--stdin"], { cwd: dir, input: text, encoding: "utf8" }).trim();
      return join(dir, ".git", "objects", blob.slice(0, 2), blob.slice(2));
    };
    // With the object files gone, only memory can answer: the small file is, the larger one is not kept.
    await unlink(blobPath(small));
    await unlink(blobPath("x".repeat(5000)));
    assert.equal(await ws.readText(oid, "data/snapshot.json"), small);
    assert.equal(await ws.readText(oid, "big.json"), null);
    await assert.rejects(ws.readText(oid, "data/snapshot.json", { maxBytes: 4 }), (e: { code?: string }) => e.code === "DATA_ERROR");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("names and emails with git's delimiters or crud are written as git commit-tree writes them, so the commit is git's to the byte", async () => {
  const dir = await tempDir();
  try {
    await openWorkspace(dir);
    const tree = gitWriteTree(dir, [
      ["f", "100644", execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: "x\n", encoding: "utf8" }).trim()],
    ]);
    for (const [name, email] of [
      ["A\nB", "dana@example.com"],
      ["Dana <Reviewer>", "<dana>@example.com"],
      [" ,:;\"'\\<x>y z\\. ", " <e>@x.com. "],
      ["Jr. Q.", "q@example.com\n"],
      ["a\tb \u00e9\u{1F600}", "\u00e9@example.com"],
    ]) {
      const who = { name, email, timestamp: 1764806400, timezoneOffset: 0 };
      const ours = commitObject({ tree, parents: [], author: who, committer: who, message: "m" });
      const date = `${who.timestamp} +0000`;
      const env = {
        GIT_AUTHOR_NAME: name,
        GIT_AUTHOR_EMAIL: email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: name,
        GIT_COMMITTER_EMAIL: email,
        GIT_COMMITTER_DATE: date,
      };
      assert.equal(ours.oid, git(dir, ["commit-tree", tree, "-m", "m"], env), JSON.stringify([name, email]));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a workspace commit by a config user.name with a newline or angle brackets is one git fsck accepts, and a bare name is no name", async () => {
  for (const [lines, author] of [
    ['\tname = "Dana\\nQ <Reviewer>"\n\temail = "<dana>@example.com>"', "DanaQ Reviewer <dana@example.com>"],
    ["\tname\n\temail = dana@example.com", "dw <dana@example.com>"],
    ['\tname = "<>"\n\temail = ...', "dw <dw@localhost>"],
  ]) {
    const dir = await tempDir();
    try {
      execFileSync("git", ["init", "-q", dir]);
      await writeFile(join(dir, ".git", "config"), `[core]\n\trepositoryformatversion = 0\n[user]\n${lines}\n`);
      const ws = await openWorkspace(dir);
      const oid = await ws.commit({ ref: "refs/dw/runs/who", message: "who", files: { "a.json": "{}\n" } });
      // git itself refuses to run under a value-less user.name, so it checks the commit under a plain config.
      await writeFile(join(dir, ".git", "config"), "[core]\n\trepositoryformatversion = 0\n");
      const header = git(dir, ["cat-file", "-p", oid])
        .split("\n")
        .find((l) => l.startsWith("author "));
      assert.equal(header?.replace(/ \d+ [+-]\d{4}$/, ""), `author ${author}`, lines);
      const fsck = spawnSync("git", ["fsck", "--strict", "--full"], { cwd: dir, encoding: "utf8" });
      assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
});
