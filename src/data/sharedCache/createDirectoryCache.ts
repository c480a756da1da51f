import { copyFile, mkdir, readdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join, basename } from "node:path";
import { randomBytes } from "node:crypto";
import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import { fileSystemError } from "../../errors/fileSystemError.js";
import { cachePath, hashFile } from "../dataCache.js";
import type { SharedCache } from "./SharedCache.js";
import { sha256Path } from "./sha256Path.js";
import { installFetched, localTempFile } from "./installFetched.js";
import { requireSourceFile } from "./requireSourceFile.js";

/**
 * A shared cache in a folder every clone can reach (a network mount, a synced folder, a folder on
 * one machine shared by several clones), laid out as the local cache: `<dir>/sha256/ab/cdef…`.
 * Writes copy into a temp file in the entry's own folder and rename it into place once the copy
 * hashes right, so a reader never sees a part, and two clones storing the same hash at once both
 * rename identical bytes: harmless. Reads are re-hashed before they enter the local cache.
 * `configuredBy` names where the folder was configured, for the hint when it does not exist. The
 * first put into an entry folder deletes the temp files there that a crashed writer left more than
 * a day ago (`ORPHAN_AGE_MS`), never a live writer's. `options.signal` aborted stops a put or get
 * between its steps (INTERRUPTED), nothing partial kept.
 */
export function createDirectoryCache(ws: Workspace, dir: string, configuredBy: string, options: { signal?: AbortSignal } = {}): SharedCache {
  let rootChecked = false;
  /** The entry folders swept of orphaned temp files by this cache already (once each). */
  const swept = new Set<string>();
  const checkSignal = () => {
    if (options.signal?.aborted) throw new DwError("INTERRUPTED", `Stopped copying to or from the shared cache ${dir}.`, { details: { shared_cache: dir } });
  };
  async function checkRoot(): Promise<void> {
    if (rootChecked) return;
    const st = await stat(dir).catch(() => null);
    if (!st?.isDirectory())
      throw new DwError("CONFIG_ERROR", `The shared cache folder ${dir} ${st ? "is not a folder" : "does not exist"}.`, {
        hint: `Mount or create it (mkdir -p ${dir}), or point ${configuredBy} at the team's cache folder (see docs/shared-cache.md).`,
        details: { shared_cache: dir },
      });
    rootChecked = true;
  }
  const entry = (sha256: string) => join(dir, sha256Path(sha256));
  const fsError = (e: unknown) => fileSystemError(e, dir) ?? e;

  return {
    location: dir,
    async has(sha256) {
      const path = entry(sha256);
      await checkRoot();
      return (await stat(path).catch(() => null))?.isFile() ?? false;
    },
    async put(sha256, file) {
      const path = entry(sha256);
      await checkRoot();
      if ((await stat(path).catch(() => null))?.isFile()) return;
      await requireSourceFile(file, sha256, dir);
      checkSignal();
      try {
        await mkdir(dirname(path), { recursive: true });
        if (!swept.has(dirname(path))) {
          swept.add(dirname(path));
          await sweepOrphans(dirname(path));
        }
        const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
        try {
          await copyFile(file, tmp);
          checkSignal();
          // Hashing the copy checks both the source and the copy before anyone can read it.
          const actual = await hashFile(tmp);
          if (actual !== sha256)
            throw new DwError(
              "DATA_ERROR",
              `${file} does not hash to sha256 ${sha256.slice(0, 12)} (it hashes to ${actual.slice(0, 12)}), so it was not stored in the shared cache ${dir}.`,
              {
                hint: "The local copy is damaged or was changed: load the data again with load_dataset, then push again.",
                details: { file, sha256, actual_sha256: actual, shared_cache: dir },
              },
            );
          await rename(tmp, path);
        } finally {
          await unlink(tmp).catch(() => undefined);
        }
      } catch (e) {
        throw fsError(e);
      }
    },
    async get(sha256) {
      const path = entry(sha256);
      await checkRoot();
      if ((await stat(cachePath(ws, sha256)).catch(() => null))?.isFile()) return true;
      if (!(await stat(path).catch(() => null))?.isFile()) return false;
      checkSignal();
      try {
        const tmp = await localTempFile(ws, sha256);
        try {
          await copyFile(path, tmp);
          checkSignal();
        } catch (e) {
          await unlink(tmp).catch(() => undefined);
          throw e;
        }
        await installFetched(ws, sha256, tmp, { location: dir, entry: path });
        return true;
      } catch (e) {
        throw fsError(e);
      }
    },
  };
}

/** A temp file older than this in a shared folder is an orphan: its writer (on any machine) crashed or was killed. */
export const ORPHAN_AGE_MS = 24 * 3600 * 1000;

/** The temp files `put` writes beside an entry: `.<62 hex digits>.<pid>.<8 hex digits>.tmp`. */
const TEMP_FILE = /^\.[0-9a-f]{62}\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Deletes the temp files in one entry folder of a shared cache whose last write is older than
 * ORPHAN_AGE_MS. A writer's temp file is written, then hashed, then renamed within minutes (hours
 * for a file of terabytes over a slow mount), so a day-old one has no writer left, whichever
 * machine it ran on; a pid cannot tell that across machines, an age can. Errors are ignored: the
 * sweep only tidies, and a file another clone swept first is already gone.
 */
async function sweepOrphans(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    if (!TEMP_FILE.test(name)) continue;
    const path = join(folder, name);
    const st = await stat(path).catch(() => null);
    if (st?.isFile() && now - st.mtimeMs > ORPHAN_AGE_MS) await unlink(path).catch(() => undefined);
  }
}
