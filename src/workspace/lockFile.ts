import { constants } from "node:fs";
import { link, lstat, open, readdir, rename, rm, unlink, writeFile } from "node:fs/promises";
import type { BigIntStats } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { currentLockOwner, lockOwnerLiveness, parseLockOwner } from "./lockOwner.js";
import type { LockOwner, OwnerLiveness } from "./lockOwner.js";

/**
 * The file operations behind the workspace lock. A lock file is created whole (temp file, fsync,
 * `link`), so a reader never sees one half-written by this code; what cannot be read is garbage
 * from a crash of older code or a hand edit, and is judged by its age.
 */

/**
 * Which file a path named when it was looked at. The inode alone is not enough: a file system
 * reuses the number of a deleted file at once, so its mtime and size must match too.
 */
export interface FileId {
  dev: bigint;
  ino: bigint;
  mtimeNs: bigint;
  size: bigint;
}

/** A lock this process created, with what it wrote, so that it only ever removes its own. */
export interface HeldLock {
  path: string;
  id: FileId;
  text: string;
}

export type LockInspection =
  | { state: "missing" }
  /** The owner runs, or runs where it cannot be checked (another host): wait. */
  | { state: "held"; id: FileId; owner: LockOwner; liveness: OwnerLiveness }
  /** Unreadable, but too recent to call garbage: wait. */
  | { state: "young"; id: FileId; reason: string }
  /** `text`: what was read, when it could be. */
  | { state: "stale"; id: FileId; text?: string; owner?: LockOwner; reason: string };

const MAX_LOCK_BYTES = 4096;

/** Creates `path` holding this process as owner, or answers undefined when a lock is already there. */
export async function createLockFile(path: string): Promise<HeldLock | undefined> {
  const text = JSON.stringify(await currentLockOwner());
  const tmp = litterName(path, "tmp");
  try {
    const handle = await open(tmp, "wx", 0o644);
    let id: FileId;
    try {
      await handle.writeFile(text);
      await handle.sync();
      id = idOf(await handle.stat({ bigint: true }));
    } finally {
      await handle.close();
    }
    try {
      await link(tmp, path);
      return { path, id, text };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOENT: the temp file was swept while this process stood still; the caller tries again.
      if (code === "EEXIST" || code === "ENOENT") return undefined;
      // A file system without hard links (exFAT, some network mounts): create exclusively and write.
      // A reader may then see the file empty for an instant, which it judges young, not stale.
      if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "ENOSYS") return createExclusive(path, text);
      throw e;
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function createExclusive(path: string, text: string): Promise<HeldLock | undefined> {
  try {
    await writeFile(path, text, { flag: "wx", mode: 0o644 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw e;
  }
  return { path, id: idOf(await lstat(path, { bigint: true })), text };
}

/**
 * Looks at the lock at `path` and judges it. Stale at once: its owner has ended, or its pid now
 * names a process started later. Stale once `staleAgeMs` old: unreadable, unparsable, an invalid
 * pid, or not a regular file (a directory, a symlink).
 */
export async function inspectLockFile(path: string, staleAgeMs: number): Promise<LockInspection> {
  let st: BigIntStats;
  try {
    st = await lstat(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    throw e;
  }
  const id = idOf(st);
  if (!st.isFile()) return byAge(id, st, staleAgeMs, st.isDirectory() ? "a directory" : "not a regular file");
  let text: string;
  try {
    // O_NOFOLLOW and the inode check: what is read is the file just looked at. O_NONBLOCK: never hang on a FIFO swapped in.
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const opened = await handle.stat({ bigint: true });
      if (!sameFile(idOf(opened), id)) return { state: "missing" };
      const buffer = Buffer.alloc(MAX_LOCK_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_LOCK_BYTES) return byAge(id, st, staleAgeMs, `larger than ${MAX_LOCK_BYTES} bytes`);
      text = buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ELOOP") return { state: "missing" }; // replaced meanwhile: look again
    return byAge(id, st, staleAgeMs, `unreadable (${code ?? String(e)})`);
  }
  const owner = parseLockOwner(text);
  if (!owner) return byAge(id, st, staleAgeMs, text.length === 0 ? "empty" : "not a lock dw wrote", text);
  const liveness = await lockOwnerLiveness(owner);
  return liveness.state === "dead" ? { state: "stale", id, text, owner, reason: liveness.reason } : { state: "held", id, owner, liveness };
}

function byAge(id: FileId, st: BigIntStats, staleAgeMs: number, what: string, text?: string): LockInspection {
  // Either way: a time in the future is as suspect as one long past (a skewed clock on a network mount).
  const ageMs = Math.abs(Date.now() - Number(st.mtimeMs));
  const reason = `it is ${what}, last changed ${Math.round(ageMs)} ms ago`;
  return ageMs >= staleAgeMs ? { state: "stale", id, text, reason } : { state: "young", id, reason };
}

/**
 * Removes the stale lock `judged` from `path`, and nothing else: the path is renamed aside, and only
 * if what was moved is that same file (inode, mtime, size, text) is it deleted (a directory with its
 * content); a lock another process created meanwhile is put back. Answers whether the stale lock is gone.
 *
 * Putting back leaves `path` empty for an instant, in which a third process could take the lock
 * beside the one put back; callers make that impossible by removing stale locks only under a
 * second lock (see lock.ts).
 */
export async function removeStaleLockFile(path: string, judged: { id: FileId; text?: string }): Promise<boolean> {
  const aside = litterName(path, "stale");
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return true; // someone else removed it
    throw e;
  }
  // Another process's sweep of old litter may remove the file we set aside (it keeps the stale
  // lock's old mtime): then it is gone, which is what we wanted.
  const moved = await lstat(aside, { bigint: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw e;
  });
  if (moved === null) return true;
  if (sameFile(idOf(moved), judged.id) && (judged.text === undefined || (await readSmall(aside)) === judged.text)) {
    await rm(aside, { recursive: true, force: true });
    return true;
  }
  if (moved.isDirectory()) {
    await rename(aside, path).catch(() => undefined);
  } else {
    await link(aside, path).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
  }
  return false;
}

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(MAX_LOCK_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Removes the lock if it is still the one this process created: same inode, and the same text (an
 * inode number is reused at once; the text names this process and the instant it took the lock).
 * The mtime is not compared, so a `touch` cannot make a process keep its own lock forever. A lock
 * is only replaced once judged stale, which ours is not while we run, so nothing can replace it
 * between the check and the unlink.
 */
export async function releaseLockFile(held: HeldLock): Promise<void> {
  try {
    const st = await lstat(held.path, { bigint: true });
    if (!st.isFile() || st.dev !== held.id.dev || st.ino !== held.id.ino) return;
    const handle = await open(held.path, constants.O_RDONLY | constants.O_NOFOLLOW);
    let text: string;
    try {
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
    if (text === held.text) await unlink(held.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

/**
 * Deletes what crashed processes left beside the lock at `path` (temp files, stale locks renamed
 * aside) once older than `minAgeMs`. Each lives for microseconds in a running process, and that
 * process tolerates finding it gone. Run it holding the workspace lock: an aside file is then never
 * the live workspace lock on its way back, and a live `lock.takeover` is held for microseconds, so
 * is never older than `minAgeMs`.
 */
export async function sweepLockLitter(path: string, minAgeMs: number): Promise<void> {
  const dir = dirname(path);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.\\d+\\.[0-9a-f]+\\.(tmp|stale)$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => pattern.test(n))) {
    const st = await lstat(join(dir, name)).catch(() => undefined);
    if (st && Math.abs(Date.now() - st.mtimeMs) >= minAgeMs) await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

export function sameFile(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.mtimeNs === b.mtimeNs && a.size === b.size;
}

function idOf(st: BigIntStats): FileId {
  return { dev: st.dev, ino: st.ino, mtimeNs: st.mtimeNs, size: st.size };
}

function litterName(path: string, kind: "tmp" | "stale"): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.${kind}`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
