import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { LOG_FILE_SUFFIX } from "./logPaths.js";
import { trimLogFolder } from "./trimLogFolder.js";

/** How large a log file grows before the next one starts, and how much a folder may hold (bytes), read at each write. */
export interface LogSizes {
  fileBytes: number;
  maxBytes: number;
}

/** One process's append-only files in one log folder. */
export interface LogAppender {
  /** Appends whole lines (each ending in "\n") in one write; resolves true once written, false when the write failed (reported). */
  append(text: string): Promise<boolean>;
  /** Appends synchronously, for a process about to exit (nothing async runs after `exit`). */
  appendSync(text: string): void;
  /** Waits for the writes under way and closes the file. */
  close(): Promise<void>;
}

/**
 * The files one process appends to in one log folder: `<prefix>-<seq>.ndjson`, where the prefix
 * (pid and start time) is this process's own, so no two processes ever write the same file and a
 * line is never interleaved with another's. Each batch is one write of whole lines to a file
 * opened for append: a process killed with -9 leaves every earlier line whole, and at worst a last
 * line without its newline (a torn tail, which readers skip). Writes are serialized. A file past
 * `fileBytes` is closed and the next begins (rotation), and then the folder's oldest files are
 * deleted past `maxBytes` (trimLogFolder). A file of ours that another process's trim deleted
 * (its link count is 0) is left for a new one. After a failed write the file is given up, so the
 * next batch never follows a partial line in the same file.
 */
export function createLogAppender(dir: string, prefix: string, sizes: () => LogSizes, report: (message: string) => void): LogAppender {
  let seq = 0;
  let handle: FileHandle | null = null;
  let path: string | null = null;
  let size = 0;
  let chain: Promise<unknown> = Promise.resolve();
  let failing = false;

  async function openNext(): Promise<FileHandle> {
    await mkdir(dir, { recursive: true });
    seq++;
    path = join(dir, `${prefix}-${seq}${LOG_FILE_SUFFIX}`);
    const h = await open(path, "a", 0o600);
    handle = h;
    size = (await h.stat()).size;
    return h;
  }

  async function closeCurrent(): Promise<void> {
    const h = handle;
    handle = null;
    if (h) await h.close().catch(() => undefined);
  }

  async function write(text: string): Promise<void> {
    const bytes = Buffer.from(text, "utf8");
    const { fileBytes, maxBytes } = sizes();
    if (handle && (await handle.stat()).nlink === 0) await closeCurrent();
    let rotated = false;
    if (handle && size > 0 && size + bytes.length > fileBytes) {
      await closeCurrent();
      rotated = true;
    }
    const first = handle === null && seq === 0;
    const h = handle ?? (await openNext());
    // Short writes are continued: the file is ours alone, so the rest still follows its beginning.
    for (let done = 0; done < bytes.length; ) done += (await h.write(bytes, done)).bytesWritten;
    size += bytes.length;
    if (rotated || first) await trimLogFolder(dir, maxBytes, path);
  }

  function append(text: string): Promise<boolean> {
    const p = chain.then(() =>
      write(text).then(
        () => {
          failing = false;
          return true;
        },
        async (e: unknown) => {
          // Reported once per run of failures (a full disk must not flood the server log).
          if (!failing) report(`cannot write the log in ${dir}: ${e instanceof Error ? e.message : String(e)}; lines are dropped until a write succeeds.`);
          failing = true;
          await closeCurrent();
          return false;
        },
      ),
    );
    chain = p;
    return p;
  }

  function appendSync(text: string): void {
    try {
      let fd: number;
      let own = false;
      if (handle) fd = handle.fd;
      else {
        mkdirSync(dir, { recursive: true });
        seq++;
        fd = openSync(join(dir, `${prefix}-${seq}${LOG_FILE_SUFFIX}`), "a", 0o600);
        own = true;
      }
      const bytes = Buffer.from(text, "utf8");
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      if (own) closeSync(fd);
    } catch {
      // The process is exiting; there is nowhere left to say so.
    }
  }

  async function close(): Promise<void> {
    const p = chain.then(closeCurrent);
    chain = p;
    await p;
  }

  return { append, appendSync, close };
}
