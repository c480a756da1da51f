import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, readdirSync } from "node:fs";
import { mkdir, mkdtemp, open, rename, rm, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDeflate } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWorkspace } from "../../../src/workspace/Workspace.js";
import { blobSize } from "../../../src/workspace/blobSize.js";

const git = (dir: string, ...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });

/** Every object the repository's refs reach, as `git rev-list --objects --all` names them. */
function allObjects(dir: string): string[] {
  return git(dir, "rev-list", "--objects", "--all")
    .trim()
    .split("\n")
    .map((line) => line.slice(0, 40));
}

async function assertSizesMatchGit(dir: string, gitdir: string): Promise<number> {
  const oids = allObjects(dir);
  for (const oid of oids) assert.equal(blobSize(gitdir, oid), Number(git(dir, "cat-file", "-s", oid)), oid);
  return oids.length;
}

/** Text of `lines` numbered lines with line `changed` replaced: versions that git stores as deltas of each other. */
function similarText(lines: number, changed: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(i === changed ? `changed in version ${changed}\n` : `line ${i}: the same in every version ${(i * 7919) % 10007}\n`);
  return out.join("");
}

/** `git verify-pack -v` rows of the repository's one pack: oid, offset and, for a delta, its depth. */
function packRows(dir: string): { oid: string; offset: number; depth: number }[] {
  return git(dir, "verify-pack", "-v", packIdx(dir))
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => /^[0-9a-f]{40}$/.test(f[0]) && f.length >= 5)
    .map((f) => ({ oid: f[0], offset: Number(f[4]), depth: f.length >= 7 ? Number(f[5]) : 0 }));
}

/** The .idx of the repository's one pack. */
function packIdx(dir: string): string {
  const packDir = join(dir, ".git", "objects", "pack");
  const idx = readdirSync(packDir).filter((n) => n.endsWith(".idx"));
  assert.equal(idx.length, 1, "one pack");
  return join(packDir, idx[0]);
}

/** The entry type (git's pack format: 3 blob, 6 OFS_DELTA, 7 REF_DELTA) at `offset` of the pack beside `idx`. */
async function entryType(idx: string, offset: number): Promise<number> {
  const fh = await open(idx.replace(/\.idx$/, ".pack"), "r");
  const buf = Buffer.alloc(1);
  await fh.read(buf, 0, 1, offset);
  await fh.close();
  return (buf[0] >> 4) & 7;
}

async function workspaceWithVersions(): Promise<{ dir: string; gitdir: string; commits: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), "dw-blobsize-"));
  const ws = await openWorkspace(dir);
  const commits: string[] = [];
  for (let v = 0; v < 4; v++) {
    commits.push(
      await ws.commit({
        ref: `refs/dw/models/m/${v + 1}`,
        message: `version ${v + 1}`,
        files: { "model.json": similarText(20_000, 100 * v + 1), "registration.json": `{"v":${v}}\n`, "empty.txt": "", "d/e/deep.json": "[]\n" },
      }),
    );
  }
  return { dir, gitdir: ws.gitdir, commits };
}

test("blobSize reads the size of every loose object the workspace writes (blobs, trees, commits) as git cat-file -s prints it", async () => {
  const { dir, gitdir } = await workspaceWithVersions();
  const counted = await assertSizesMatchGit(dir, gitdir);
  assert.ok(counted >= 4 * 3 + 4);
  assert.equal(blobSize(gitdir, "0".repeat(40)), null, "an object the repository does not hold");
  assert.equal(blobSize(gitdir, "not an object id"), null);
  await rm(dir, { recursive: true, force: true });
});

test("blobSize reads objects and deltas (OFS_DELTA and REF_DELTA) of a pack through its .idx, with 32-bit and 64-bit offsets", async () => {
  const { dir, gitdir } = await workspaceWithVersions();
  for (const useOffsets of ["true", "false"]) {
    git(dir, "-c", `repack.useDeltaBaseOffset=${useOffsets}`, "repack", "-a", "-d", "-f", "--depth=10", "-q");
    const idx = packIdx(dir);
    const rows = packRows(dir);
    const deltas = rows.filter((r) => r.depth > 0);
    assert.ok(deltas.length >= 2, "the similar model.json versions are stored as deltas");
    for (const d of deltas) assert.equal(await entryType(idx, d.offset), useOffsets === "true" ? 6 : 7);
    assert.equal(git(dir, "count-objects", "-v").match(/^count: (\d+)/m)?.[1], "0", "no loose objects left");
    await assertSizesMatchGit(dir, gitdir);
  }
  // The same pack indexed with every offset past 64 bytes in the .idx's table of 64-bit offsets
  // (what git writes for packs over 2 GiB).
  const idx = packIdx(dir);
  const before = (await stat(idx)).size;
  git(dir, "index-pack", "--index-version=2,64", "-o", `${idx}.new`, idx.replace(/\.idx$/, ".pack"));
  await rename(`${idx}.new`, idx);
  assert.ok((await stat(idx)).size > before, "the new index has a 64-bit offset table");
  await assertSizesMatchGit(dir, gitdir);
  await rm(dir, { recursive: true, force: true });
});

test("readText refuses a file over maxBytes from its size alone, loose or packed as a delta, and reads files within it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-blobsize-"));
  const ws = await openWorkspace(dir);
  const spaces = " ".repeat(5 * 2 ** 20);
  const first = await ws.commit({ ref: "refs/dw/models/big/1", message: "big", files: { "model.json": spaces, "small.json": "{}\n" } });
  const second = await ws.commit({ ref: "refs/dw/models/big/2", message: "big again", base: first, parents: [first], files: { "model.json": `${spaces}x` } });
  const limit = { maxBytes: 2 ** 20 };
  await assert.rejects(ws.readText(first, "model.json", limit), (e: { code?: string; message: string; details?: Record<string, unknown> }) => {
    assert.equal(e.code, "DATA_ERROR");
    assert.match(e.message, new RegExp(`^model\\.json in commit ${first.slice(0, 10)} is 5242880 bytes, more than the 1048576 bytes`));
    assert.deepEqual(e.details, { commit: first, path: "model.json", bytes: 5 * 2 ** 20, limit: 2 ** 20 });
    return true;
  });
  assert.equal(await ws.readText(first, "small.json", limit), "{}\n");
  assert.equal(await ws.readText(first, "missing.json", limit), null);
  assert.equal((await ws.readText(first, "model.json"))?.length, 5 * 2 ** 20, "the default limit reads it");
  // A small file kept from an earlier read is still held to a lower limit.
  await assert.rejects(ws.readText(first, "small.json", { maxBytes: 2 }), /small\.json in commit .* is 3 bytes, more than the 2 bytes/);

  git(dir, "repack", "-a", "-d", "-f", "--depth=10", "-q");
  assert.ok(
    packRows(dir).some((r) => r.depth > 0),
    "one version is a delta of the other",
  );
  for (const commit of [first, second]) await assert.rejects(ws.readText(commit, "model.json", limit), /more than the 1048576 bytes/);
  assert.equal(await ws.readText(second, "small.json", limit), "{}\n");
  await rm(dir, { recursive: true, force: true });
});

test("a loose model.json of 1 GiB + 1 MiB of spaces (4.7 MB in git) is refused by the default limit without inflating it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-blobsize-"));
  const ws = await openWorkspace(dir);
  const small = await ws.commit({ ref: "refs/dw/models/small/1", message: "small", files: { "model.json": "{}\n" } });
  const size = 2 ** 30 + 2 ** 20;
  const oid = await writeLooseSpaces(ws.gitdir, size);
  assert.equal(git(dir, "cat-file", "-s", oid).trim(), String(size));
  const tree = execFileSync("git", ["mktree"], { cwd: dir, encoding: "utf8", input: `100644 blob ${oid}\tmodel.json\n` }).trim();
  const commit = git(dir, "commit-tree", tree, "-p", small, "-m", "pushed by hand").trim();

  const rssBefore = process.memoryUsage().rss;
  await assert.rejects(ws.readText(commit, "model.json"), (e: { code?: string; message: string }) => {
    assert.equal(e.code, "DATA_ERROR");
    assert.match(e.message, new RegExp(`is ${size} bytes, more than the ${2 ** 30} bytes dw reads`));
    return true;
  });
  const grown = process.memoryUsage().rss - rssBefore;
  assert.ok(grown < 256 * 2 ** 20, `RSS grew by ${grown} bytes reading the header of a ${size}-byte blob`);
  assert.equal(blobSize(ws.gitdir, oid), size);
  await rm(dir, { recursive: true, force: true });
});

/**
 * Writes a loose blob of `size` spaces the way git does (zlib of `blob <size>\0` and the content),
 * streaming it in 1 MiB pieces, so the test never holds the blob; returns its object id.
 */
async function writeLooseSpaces(gitdir: string, size: number): Promise<string> {
  const header = Buffer.from(`blob ${size}\0`);
  const piece = Buffer.alloc(2 ** 20, 0x20);
  const sha = createHash("sha1");
  async function* content() {
    sha.update(header);
    yield header;
    for (let left = size; left > 0; left -= piece.length) {
      const part = left >= piece.length ? piece : piece.subarray(0, left);
      sha.update(part);
      yield part;
    }
  }
  const tmp = join(gitdir, "dw-big-object.tmp");
  await pipeline(Readable.from(content()), createDeflate({ level: 1 }), createWriteStream(tmp));
  const oid = sha.digest("hex");
  await mkdir(join(gitdir, "objects", oid.slice(0, 2)), { recursive: true });
  await rename(tmp, join(gitdir, "objects", oid.slice(0, 2), oid.slice(2)));
  return oid;
}
