import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Adds the loose refs under `dir` to `out`, by their path below it (a missing folder has none):
 * one listing per folder, no stat per ref, as a training lists every run.
 *
 * @example
 * ```ts
 * const names = new Set<string>();
 * await listLooseRefs(join(ws.gitdir, "refs/dw/runs"), "", names);
 * ```
 */
export async function listLooseRefs(dir: string, rel: string, out: Set<string>): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw e;
  }
  for (const entry of entries) {
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    const path = join(dir, entry.name);
    // A symbolic link is what it points at, as git (and isomorphic-git's stat) read it.
    const isDir = entry.isSymbolicLink() ? (await stat(path).catch(() => null))?.isDirectory() : entry.isDirectory();
    if (isDir) await listLooseRefs(path, name, out);
    else out.add(name);
  }
}
