import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { LOG_FILE_SUFFIX } from "../log/logPaths.js";

/** Bytes read at a time from a log file: what the counter holds in memory at most, besides its offsets. */
const CHUNK_BYTES = 1 << 20;

/** New scored rows in a deployment's inference log, per model version, counted as they are appended. */
export interface LogRowCounter {
  /** Reads what was appended to the log folder since the last poll (whole lines only) and counts its scored rows. */
  poll(): Promise<void>;
  /** Scored rows of `version` counted since the start or the last `reset`. */
  rows(version: number): number;
  /** Starts counting again from zero (after a check). */
  reset(): void;
}

/**
 * Counts a deployment's newly logged rows cheaply: for each file of the folder it keeps the offset
 * read so far, and each poll reads only the bytes appended since (whole lines; a torn tail waits for
 * its newline), so a poll costs what was logged since the last one, not the size of the log. A row
 * is counted for the version that answered it when it was logged after `afterMs` and is not an error
 * line. Files logged entirely before `afterMs` (their last change is older) are skipped unread, so a
 * restarted server counts the rows since its last check without reading the whole log. Files
 * deleted by rotation are forgotten.
 *
 * @example
 * ```ts
 * const counter = createLogRowCounter(requestsLogDir(root, "temp", "production"), lastCheckMs);
 * await counter.poll();
 * counter.rows(2); // rows v2 answered since the last check
 * ```
 */
export function createLogRowCounter(dir: string, afterMs: number): LogRowCounter {
  const offsets = new Map<string, number>();
  const counts = new Map<number, number>();
  const after = afterMs;

  async function readFrom(path: string, from: number, to: number): Promise<number> {
    const handle = await open(path, "r");
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let offset = from;
    try {
      let carry = "";
      while (offset + Buffer.byteLength(carry) < to) {
        const start = offset + Buffer.byteLength(carry);
        const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK_BYTES, to - start), start);
        if (bytesRead === 0) break;
        const text = carry + buf.toString("utf8", 0, bytesRead);
        const end = text.lastIndexOf("\n");
        if (end < 0) {
          carry = text;
          continue;
        }
        for (const line of text.slice(0, end).split("\n")) countLine(line);
        offset += Buffer.byteLength(text.slice(0, end + 1));
        carry = text.slice(end + 1);
      }
    } finally {
      await handle.close();
    }
    return offset;
  }

  function countLine(line: string): void {
    if (!line) return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof r !== "object" || r === null) return;
    const { t, v, err } = r as { t?: unknown; v?: unknown; err?: unknown };
    if (typeof t !== "number" || typeof v !== "number" || err !== undefined || t <= after) return;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }

  return {
    async poll() {
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(LOG_FILE_SUFFIX));
      const present = new Set(names);
      for (const name of offsets.keys()) if (!present.has(name)) offsets.delete(name);
      for (const name of names) {
        const path = join(dir, name);
        const s = await stat(path).catch(() => null);
        if (!s) continue;
        const known = offsets.get(name);
        if (known === undefined && s.mtimeMs <= after) {
          offsets.set(name, s.size);
          continue;
        }
        const from = known !== undefined && known <= s.size ? known : 0;
        if (s.size > from) offsets.set(name, await readFrom(path, from, s.size).catch(() => from));
        else offsets.set(name, from);
      }
    },
    rows(version) {
      return counts.get(version) ?? 0;
    },
    reset() {
      counts.clear();
    },
  };
}
