import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";

/** The workspace's key for hashing PII in the inference log, relative to the workspace root. */
export const MONITORING_KEY_FILE = join(".dw", "monitoring", "key");

const KEY_SHAPE = /^[0-9a-f]{64}$/;

/**
 * The workspace's monitoring key (32 random bytes), made on first use in `.dw/monitoring/key` with
 * mode 0600 (a wider file is narrowed). Several server processes may ask at once: the key is
 * written whole to a private temp file and linked into place, which fails for all but the first,
 * and the others read that one; so every process hashes with the same key. The key is never
 * logged. A file that is not a key is an error (replacing it would change every hash).
 */
export async function monitoringKey(root: string): Promise<Buffer> {
  const path = join(root, MONITORING_KEY_FILE);
  const existing = await readKey(path);
  if (existing) return existing;
  await mkdir(join(path, ".."), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(tmp, "wx", 0o600);
  try {
    await handle.writeFile(`${randomBytes(32).toString("hex")}\n`);
    await handle.sync();
    await handle.close();
    await link(tmp, path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e;
    });
  } finally {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
  }
  const made = await readKey(path);
  if (!made) throw new Error(`${path} vanished while it was made`);
  return made;
}

async function readKey(path: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  if (!KEY_SHAPE.test(text.trim())) throw new Error(`${path} does not hold a monitoring key (64 hex digits); move it away and a new one is made`);
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return Buffer.from(text.trim(), "hex");
}
