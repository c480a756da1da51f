import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import git from "isomorphic-git";
import { DwError } from "../errors/DwError.js";
import { packTooLargeError } from "./maxPackBytes.js";

/** A pack installed in a repository: its file names (without .pack/.idx) and the objects it holds. */
export interface InstalledPack {
  /** `<gitdir>/objects/pack/pack-<checksum>`; null when this call installed nothing (an empty pack, or the same pack was there already). */
  base: string | null;
  oids: string[];
  bytes: number;
}

/** Where packs are received before they are installed, inside the git dir so the final renames stay on one file system. */
const INCOMING_DIR = "dw-tmp";

/**
 * Writes the pack arriving as `data` into `<gitdir>/objects/pack` so that no reader ever sees
 * part of it: the bytes go to a folder of their own under `.git/dw-tmp`, the pack's header and
 * trailing SHA-1 are checked, isomorphic-git's indexPack writes the .idx beside it (every object
 * must resolve: a delta whose base is missing is refused), then the .pack and, last, the .idx are
 * renamed into objects/pack, and that folder is fsynced so the renames survive a crash. Readers
 * (git and isomorphic-git alike) find packs by their .idx, so until that last rename the pack
 * does not exist for them, and a crash leaves only the folder,
 * which `sweepIncoming` removes once its writer is gone. isomorphic-git lists objects/pack on each
 * read that misses the loose objects and keeps parsed indexes by file name, so an open Workspace
 * reads the new objects at once. `where` names the remote in errors. A pack past `maxBytes`
 * (`maxPackBytes`) is refused as it arrives, before more than that reaches the disk: indexPack
 * holds the whole pack in memory.
 */
export async function installPack(gitdir: string, data: AsyncIterable<Uint8Array>, where: string, maxBytes: number): Promise<InstalledPack> {
  const dir = join(gitdir, INCOMING_DIR, `pack.${process.pid}.${randomBytes(4).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  try {
    const packPath = join(dir, "incoming.pack");
    const { bytes, trailer, computed, header } = await writeHashed(packPath, data, maxBytes, where);
    const bad = (what: string) =>
      new DwError("DATA_ERROR", `The git remote ${where} sent a damaged pack: ${what}.`, {
        hint: "Try again; if it keeps failing, run git fsck in the remote repository.",
        details: { remote: where, bytes },
      });
    if (bytes < 32 || header.toString("latin1", 0, 4) !== "PACK") throw bad("it does not start with a pack header");
    const version = header.readUInt32BE(4);
    if (version !== 2 && version !== 3) throw bad(`its version is ${version}`);
    if (!computed.equals(trailer)) throw bad("its SHA-1 checksum does not match its content");
    const count = header.readUInt32BE(8);
    if (count === 0) return { base: null, oids: [], bytes };
    let oids: string[];
    try {
      ({ oids } = await git.indexPack({ fs, dir, gitdir, filepath: "incoming.pack", cache: {} }));
    } catch (e) {
      throw bad((e as Error).message);
    }
    if (oids.length !== count) throw bad(`${count - oids.length} of its ${count} objects cannot be resolved (a delta against an object this repository lacks)`);
    const idxPath = join(dir, "incoming.idx");
    await syncFile(idxPath);
    const base = join(gitdir, "objects", "pack", `pack-${trailer.toString("hex")}`);
    if (await exists(`${base}.idx`)) return { base: null, oids, bytes };
    await mkdir(join(gitdir, "objects", "pack"), { recursive: true });
    await rename(packPath, `${base}.pack`);
    await rename(idxPath, `${base}.idx`);
    // The renames are entries of objects/pack: without this a crash can lose them even though the
    // files' bytes are on disk, and refs written next would name objects that are gone.
    await syncFile(join(gitdir, "objects", "pack"));
    return { base, oids, bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Takes an installed pack out again (its .idx first, so no reader finds an index without its pack). */
export async function removePack(base: string): Promise<void> {
  await unlink(`${base}.idx`).catch(() => undefined);
  await unlink(`${base}.pack`).catch(() => undefined);
}

/** Streams `data` to `path` (fsynced), hashing all but its last 20 bytes, which a pack's checksum fills; at most `maxBytes`. */
async function writeHashed(path: string, data: AsyncIterable<Uint8Array>, maxBytes: number, where: string) {
  const handle = await open(path, "wx", 0o444);
  const hash = createHash("sha1");
  let tail = Buffer.alloc(0);
  let header = Buffer.alloc(0);
  let bytes = 0;
  try {
    for await (const chunk of data) {
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      if (bytes + buf.length > maxBytes) throw packTooLargeError(where, maxBytes);
      await handle.write(buf);
      bytes += buf.length;
      if (header.length < 12) header = Buffer.concat([header, buf.subarray(0, 12 - header.length)]);
      const joined = tail.length ? Buffer.concat([tail, buf]) : buf;
      const keep = Math.min(20, joined.length);
      hash.update(joined.subarray(0, joined.length - keep));
      tail = Buffer.from(joined.subarray(joined.length - keep));
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes, trailer: tail, computed: hash.digest(), header: Buffer.concat([header, Buffer.alloc(12)]) };
}

/** fsync of a file, or of a folder (its entries: what a rename into it changed). */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes what installs whose process is gone left under the git dir (a crash between receiving and renaming). */
export async function sweepIncoming(gitdir: string): Promise<void> {
  const incoming = join(gitdir, INCOMING_DIR);
  const names = await readdir(incoming).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^pack\.(\d+)\.[0-9a-f]{8}$/.exec(name);
    if (m && !isAlive(Number(m[1]))) await rm(join(incoming, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
