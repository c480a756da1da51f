import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat, readFile, copyFile, mkdir, rename, unlink } from "node:fs/promises";
import { join, dirname } from "node:path";
import { randomBytes } from "node:crypto";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";

interface IndexEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** Where a cached file with this hash lives: `.dw/cache/sha256/ab/cdef…`. */
export function cachePath(ws: Workspace, sha256: string): string {
  return join(ws.dwDir, "cache", "sha256", sha256.slice(0, 2), sha256.slice(2));
}

function indexPath(ws: Workspace): string {
  return join(ws.dwDir, "cache", "index.json");
}

async function readIndex(ws: Workspace): Promise<Record<string, IndexEntry>> {
  return JSON.parse(await readFile(indexPath(ws), "utf8").catch(() => "{}")) as Record<string, IndexEntry>;
}

/**
 * The hash of `file` when its size and mtime are those it had when it was last cached and the
 * cached copy is still there (as git's index does), else null: then it must be copied and hashed.
 */
export async function knownHash(ws: Workspace, file: string, st: { size: number; mtimeMs: number }): Promise<string | null> {
  const known = (await readIndex(ws))[file];
  if (!known || known.size !== st.size || known.mtimeMs !== st.mtimeMs) return null;
  return (await exists(cachePath(ws, known.sha256))) ? known.sha256 : null;
}

/** A file copied into the cache under a temporary name, with the size and mtime the original had. */
export interface StagedCopy {
  file: string;
  tmp: string;
  size: number;
  mtimeMs: number;
}

/**
 * Copies `file` into the cache under a temporary name (copyFile: the kernel copies, with a
 * reflink where the file system has them), for the caller to hash and read: what is hashed and
 * read is then exactly what is kept, whatever happens to the original meanwhile. A file that
 * changed while it was copied is an error. settleCopy puts the copy in place; dropCopy removes it.
 */
export async function stageCopy(ws: Workspace, file: string): Promise<StagedCopy> {
  const before = await stat(file);
  const dir = join(ws.dwDir, "cache", "tmp");
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${randomBytes(8).toString("hex")}.tmp`);
  await copyFile(file, tmp);
  const after = await stat(file).catch(() => null);
  if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
    await unlink(tmp).catch(() => undefined);
    throw new Error(`${file} changed while dw was copying it; load it again.`);
  }
  return { file, tmp, size: before.size, mtimeMs: before.mtimeMs };
}

/**
 * Moves a staged copy whose hash is `sha256` to its place in the cache (or drops it when the
 * cache holds those bytes already) and, with `remember`, notes the original's size and mtime so
 * an unchanged file is not hashed again. The caller holds the workspace lock.
 */
export async function settleCopy(ws: Workspace, copy: StagedCopy, sha256: string, remember = true): Promise<void> {
  const target = cachePath(ws, sha256);
  if (await exists(target)) await unlink(copy.tmp).catch(() => undefined);
  else {
    await mkdir(dirname(target), { recursive: true });
    await rename(copy.tmp, target);
  }
  if (remember) {
    const index = await readIndex(ws);
    index[copy.file] = { size: copy.size, mtimeMs: copy.mtimeMs, sha256 };
    await atomicWrite(indexPath(ws), JSON.stringify(index, null, 1));
  }
}

/** Removes a staged copy that will not be kept (its file could not be read). */
export async function dropCopy(copy: StagedCopy): Promise<void> {
  await unlink(copy.tmp).catch(() => undefined);
}

/**
 * Stores a copy of `file` in the workspace's content-addressed cache and returns its hash.
 * A file whose size and mtime match the last time is not hashed again (as git's index does);
 * otherwise the copy is hashed, once. The caller holds the workspace lock. `remember: false` is
 * for temporary files (kernel values, query results), whose path means nothing next time.
 */
export async function cacheFile(ws: Workspace, file: string, options: { remember?: boolean } = {}): Promise<{ sha256: string; size: number }> {
  const remember = options.remember ?? true;
  const st = await stat(file);
  const known = remember ? await knownHash(ws, file, st) : null;
  if (known) return { sha256: known, size: st.size };
  const copy = await stageCopy(ws, file);
  try {
    const sha256 = await hashFile(copy.tmp);
    await settleCopy(ws, copy, sha256, remember);
    return { sha256, size: copy.size };
  } catch (e) {
    await dropCopy(copy);
    throw e;
  }
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on("data", (chunk) => h.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")));
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
