import { open } from "node:fs/promises";

/**
 * A whole file read into shared memory (a Buffer over a SharedArrayBuffer), or null when it cannot
 * be read. Columns that are views on these bytes can be handed to a worker thread without a copy
 * (train_model's column statistics run on one); a transfer of them would throw, as for the parallel
 * CSV reader's columns. The size is taken from the open file, and a file that shrinks while it is
 * read gives null rather than zeroed bytes.
 */
export async function readSharedFile(file: string): Promise<Buffer | null> {
  const handle = await open(file, "r").catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.from(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(size - at, 1 << 26), at);
      if (bytesRead === 0) return null;
      at += bytesRead;
    }
    return bytes;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}
