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

/**
 * Stores a copy of `file` in the workspace's content-addressed cache and returns its hash.
 * A file whose size and mtime match the last time is not hashed again (as git's index does).
 * The caller holds the workspace lock. `remember: false` is for temporary files (kernel values,
 * query results), whose path means nothing next time.
 */
export async function cacheFile(ws: Workspace, file: string, options: { remember?: boolean } = {}): Promise<{ sha256: string; size: number }> {
  const remember = options.remember ?? true;
  const st = await stat(file);
  const indexPath = join(ws.dwDir, "cache", "index.json");
  const index: Record<string, IndexEntry> = remember ? JSON.parse(await readFile(indexPath, "utf8").catch(() => "{}")) : {};
  const known = index[file];
  let sha256: string;
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs && (await exists(cachePath(ws, known.sha256)))) {
    sha256 = known.sha256;
  } else {
    sha256 = await hashFile(file);
    const target = cachePath(ws, sha256);
    if (!(await exists(target))) {
      await mkdir(dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(4).toString("hex")}.tmp`;
      await copyFile(file, tmp);
      if ((await hashFile(tmp)) !== sha256) {
        await unlink(tmp);
        throw new Error(`${file} changed while dw was copying it; load it again.`);
      }
      await rename(tmp, target);
    }
    if (remember) {
      index[file] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
      await atomicWrite(indexPath, JSON.stringify(index, null, 1));
    }
  }
  return { sha256, size: st.size };
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(file)
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
