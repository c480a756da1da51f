import { open, rename, mkdir, unlink } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * Writes a file so that readers see either the old content or the new, never a part:
 * write a temp file beside the target (or in `tmpDir`, on the same file system), fsync it, rename
 * it over the target. A process killed before the rename leaves only the temp file, named
 * `.<name>.<pid>.<hex>.tmp`.
 *
 * `data` may be given in pieces (written in order by writev): for large column files whose pieces
 * are views on the columns, joining them first would hold a second copy of the dataset in memory.
 * `sync: false` skips the fsync, only for a cache that can be made again and whose reader refuses a
 * file cut short (a power loss can leave the renamed file empty, never half of the new one under
 * the old name): the fsync of 160 MB took 0.3–2 s on a busy disk.
 */
export async function atomicWrite(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: { tmpDir?: string; sync?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (options.tmpDir) await mkdir(options.tmpDir, { recursive: true });
  const tmp = join(options.tmpDir ?? dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(tmp, "w", 0o644);
  try {
    if (typeof data === "string" || data instanceof Uint8Array) await handle.writeFile(data);
    else await writeChunks(handle, data);
    if (options.sync ?? true) await handle.sync();
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

type Handle = Awaited<ReturnType<typeof open>>;

async function writeChunks(handle: Handle, chunks: readonly Uint8Array[]): Promise<void> {
  for (let i = 0; i < chunks.length; i += 512) {
    const group = chunks.slice(i, i + 512);
    const want = group.reduce((n, c) => n + c.byteLength, 0);
    const { bytesWritten } = await handle.writev(group);
    // writev may write less than asked (a signal, a full disk's last blocks): the rest piece by piece.
    if (bytesWritten < want) await writeRest(handle, group, bytesWritten);
  }
}

async function writeRest(handle: Handle, group: readonly Uint8Array[], done: number): Promise<void> {
  let skip = done;
  for (const c of group) {
    if (skip >= c.byteLength) {
      skip -= c.byteLength;
      continue;
    }
    let rest = c.subarray(skip);
    skip = 0;
    while (rest.byteLength > 0) {
      const { bytesWritten } = await handle.write(rest);
      rest = rest.subarray(bytesWritten);
    }
  }
}
