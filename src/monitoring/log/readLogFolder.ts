import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LOG_FILE_SUFFIX } from "./logPaths.js";

/** A log file of a folder, with its last write time (no line in it is newer) and size. */
export interface LogFile {
  path: string;
  mtimeMs: number;
  size: number;
}

/** What reading log lines met besides records: a last line without its newline (a write cut short), and lines that are not records. */
export interface LogReadCounts {
  torn: number;
  damaged: number;
}

/** The folder's log files, newest write first; none when the folder does not exist. A file deleted meanwhile is left out. */
export async function listLogFiles(dir: string): Promise<LogFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(LOG_FILE_SUFFIX));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const files: LogFile[] = [];
  for (const n of names) {
    const path = join(dir, n);
    const st = await stat(path).catch(() => null);
    if (st?.isFile()) files.push({ path, mtimeMs: st.mtimeMs, size: st.size });
  }
  return files.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? 1 : -1));
}

/**
 * The records of one NDJSON log file, as `as` accepts them; a torn last line and lines that are
 * not JSON or not records are counted in `counts`, never thrown. A file deleted meanwhile (the
 * folder was trimmed) reads as empty.
 */
export async function readLogFile<T>(path: string, as: (v: unknown) => T | null, counts: LogReadCounts): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: T[] = [];
  const end = text.lastIndexOf("\n");
  if (end < text.length - 1) counts.torn++;
  let start = 0;
  while (start <= end) {
    const nl = text.indexOf("\n", start);
    const line = text.slice(start, nl);
    start = nl + 1;
    if (!line) continue;
    let record: T | null = null;
    try {
      record = as(JSON.parse(line));
    } catch {
      record = null;
    }
    if (record === null) counts.damaged++;
    else out.push(record);
  }
  return out;
}
