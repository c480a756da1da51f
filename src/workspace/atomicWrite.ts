import { open, rename, mkdir, unlink } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * Writes a file so that readers see either the old content or the new, never a part:
 * write a temp file beside the target (or in `tmpDir`, on the same file system), fsync it, rename
 * it over the target. A process killed before the rename leaves only the temp file, named
 * `.<name>.<pid>.<hex>.tmp`.
 */
export async function atomicWrite(path: string, data: string | Uint8Array, options: { tmpDir?: string } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (options.tmpDir) await mkdir(options.tmpDir, { recursive: true });
  const tmp = join(options.tmpDir ?? dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(tmp, "w", 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
