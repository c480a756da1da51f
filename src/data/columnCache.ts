import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { uptime } from "node:os";
import { tableFromIPC } from "apache-arrow";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import type { Dataset } from "./Dataset.js";
import type { DatasetFormat } from "./datasetRecords.js";
import { columnCachePath, type ColumnCacheRef } from "./columnCachePath.js";
import { readSharedFile } from "./readSharedFile.js";
import { arrowFileChunks, datasetFromArrow, datasetToArrow } from "./arrowIpc.js";
import { ColumnCacheCheck } from "./ColumnCacheCheck.js";

// The path (and the reader version in it) lives apart from Arrow, for the profile cache's key.
export { READER_VERSION, columnCachePath, type ColumnCacheRef } from "./columnCachePath.js";

/** Arrow files are read as they are; every other format gains from a columnar copy. */
export function worthColumnCache(format: DatasetFormat): boolean {
  return format !== "arrow";
}

/**
 * The columns kept for this file, or null when there are none or they cannot be trusted (the
 * caller reads the file and writes them again): no check file beside them, a size other than the
 * one written, bytes that are not Arrow, or, for a file written before the last restart, bytes
 * whose sha256 is not the one written (see ColumnCacheCheck). That hash is taken once a boot: a
 * file that passes it is on disk, and its check is stamped with this boot.
 */
export async function readColumnCache(ws: Workspace, ref: ColumnCacheRef, source: string): Promise<Dataset | null> {
  const file = columnCachePath(ws, ref);
  const check = await readCheck(file);
  if (!check) return null;
  // In shared memory, so train_model can share the columns with its statistics thread without a copy.
  const bytes = await readSharedFile(file);
  if (!bytes || bytes.length !== check.size) return null;
  const boot = await currentBoot();
  if (check.boot !== boot) {
    if (createHash("sha256").update(bytes).digest("hex") !== check.sha256) return null;
    await writeCheck(file, { ...check, boot });
  }
  try {
    // The bytes are this read's own: number columns can be views on them instead of copies.
    return datasetFromArrow(tableFromIPC(bytes), source, { owned: true });
  } catch {
    return null;
  }
}

/**
 * Keeps `ds` (read from exactly the file with this sha256) for the next reader. Written
 * atomically, so a crash leaves the old state or the whole file, then its check (size, sha256,
 * boot) beside it. A cache: when it cannot be written (a full disk, a read-only workspace)
 * nothing fails, the next reader parses the file.
 */
export async function writeColumnCache(ws: Workspace, ref: ColumnCacheRef, ds: Dataset): Promise<void> {
  if (!worthColumnCache(ref.format)) return;
  const file = columnCachePath(ws, ref);
  try {
    const chunks = await arrowFileChunks(datasetToArrow(ds));
    // No fsync (0.3-2 s for 160 MB on a busy disk): the check stands in for it. The pieces are
    // hashed while the kernel writes them (writev runs off this thread).
    const [sha256] = await Promise.all([digest(chunks), atomicWrite(file, chunks, { sync: false })]);
    const size = chunks.reduce((n, c) => n + c.byteLength, 0);
    await writeCheck(file, { size, sha256, boot: await currentBoot() });
  } catch {
    // A cache: the next reader parses the file.
  }
}

async function digest(chunks: readonly Uint8Array[]): Promise<string> {
  const h = createHash("sha256");
  for (const c of chunks) {
    h.update(c);
    // A column at a time, so the write's own steps (open, writev) are not kept waiting.
    if (c.byteLength >= 1 << 20) await new Promise(setImmediate);
  }
  return h.digest("hex");
}

function checkPath(file: string): string {
  return `${file}.check`;
}

async function readCheck(file: string): Promise<ColumnCacheCheck | null> {
  const text = await readFile(checkPath(file), "utf8").catch(() => null);
  if (text === null) return null;
  try {
    const parsed = ColumnCacheCheck.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function writeCheck(file: string, check: ColumnCacheCheck): Promise<void> {
  // Lost in a crash, the check is missing or unreadable, and the columns are read again: no fsync either.
  await atomicWrite(checkPath(file), JSON.stringify(check), { sync: false }).catch(() => undefined);
}

let boot: Promise<string> | null = null;

/**
 * This boot: Linux's boot id; elsewhere the boot time (now less the uptime) to the minute. A
 * restart always changes it; a clock change may too, which only costs one hash more.
 */
function currentBoot(): Promise<string> {
  boot ??= readFile("/proc/sys/kernel/random/boot_id", "utf8").then(
    (id) => id.trim() || bootTime(),
    () => bootTime(),
  );
  return boot;
}

function bootTime(): string {
  return `boot-minute:${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
}
