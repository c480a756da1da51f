import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { LOG_FILE_SUFFIX } from "./logPaths.js";

/**
 * Deletes a log folder's oldest files (by last write) until the folder holds at most `maxBytes`,
 * never the file `keep` (the caller's open file). Every server process may run it at once: a
 * file another process deleted first counts as deleted, and one that vanishes while being listed
 * is skipped. Answers how many files it deleted.
 */
export async function trimLogFolder(dir: string, maxBytes: number, keep: string | null): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(LOG_FILE_SUFFIX));
  } catch {
    return 0;
  }
  const files = (
    await Promise.all(
      names.map(async (n) => {
        const path = join(dir, n);
        const st = await stat(path).catch(() => null);
        return st ? { path, size: st.size, mtime: st.mtimeMs } : null;
      }),
    )
  ).filter((f): f is { path: string; size: number; mtime: number } => f !== null);
  let total = files.reduce((s, f) => s + f.size, 0);
  if (total <= maxBytes) return 0;
  files.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1));
  let deleted = 0;
  for (const f of files) {
    if (total <= maxBytes) break;
    if (f.path === keep) continue;
    try {
      await unlink(f.path);
      deleted++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") continue;
    }
    total -= f.size;
  }
  return deleted;
}
