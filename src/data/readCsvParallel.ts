import { open } from "node:fs/promises";
import type { Column, Dataset } from "./Dataset.js";
import { CsvScanner } from "./csvScanner.js";
import { mergeColumnState, textColumn, type ColumnState } from "./csvColumns.js";
import type { CsvPart } from "./csvPartWorker.js";
import { Interner } from "./inferTypes.js";
import { CsvWorkerPool, type PartWorker } from "./CsvWorkerPool.js";

/** Below this size a file is read on the calling thread: starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 16 << 20;

export interface ParallelCsvOptions {
  /** Parts, one worker each (default: the pool's size, else DW_CSV_WORKERS when set, else the cores available, at most 8). */
  workers?: number;
  /** Threads started already (while the file was being copied): used, and left for the caller to close; missing ones are started. */
  pool?: CsvWorkerPool;
  /** Files smaller than this are left to the serial reader (default PARALLEL_MIN_BYTES). */
  minBytes?: number;
}

/**
 * Reads a CSV file in parts on worker threads, one part each, into exactly the columns the
 * serial reader (readCsvFile) makes of it: the same types, values, nulls, numeric shares, first
 * non-numbers and their lines. The file is cut after a newline near each 1/N of its size; a
 * counting pass in each part (CsvRecordCounter) checks that every cut falls between records (a
 * quoted field may hold newlines) and gives each part's row count, so the numbers are written
 * straight into one shared array per column, with no copy and no growing. Columns that are text
 * anywhere are put together from each part's cell text (parts that saw only numbers read theirs
 * again), as the serial reader's second pass does.
 *
 * Returns null, for the caller to read the file serially, when it is too small, when a cut falls
 * inside a quoted field, when any part fails (a malformed line: the serial reader names it), and
 * when any part is not plain UTF-8 (the file's encoding is settled across the whole file).
 *
 * @example
 * ```ts
 * const read = (await readCsvParallel("big.csv", "big.csv", ",")) ?? (await readCsvFile("big.csv", "big.csv", ","));
 * ```
 */
export async function readCsvParallel(
  file: string,
  source: string,
  delimiter: string,
  options: ParallelCsvOptions = {},
): Promise<{ ds: Dataset; encoding: "utf-8" } | null> {
  const workers = options.workers ?? options.pool?.workers.length ?? CsvWorkerPool.defaultSize();
  const fh = await open(file, "r");
  let cuts: number[] | null;
  let header: string[] | null;
  let size: number;
  try {
    size = (await fh.stat()).size;
    if (workers < 2 || size < (options.minBytes ?? PARALLEL_MIN_BYTES)) return null;
    header = await readHeaderFields(fh, delimiter, source);
    cuts = header ? await cutPoints(fh, size, workers) : null;
  } finally {
    await fh.close();
  }
  if (!cuts || !header) return null;
  const parts: CsvPart[] = cuts.slice(0, -1).map((start, i) => ({
    file,
    source,
    delimiter: delimiter.charCodeAt(0),
    start,
    end: cuts![i + 1],
    first: i === 0,
    last: i === cuts!.length - 2,
  }));
  const given = options.pool?.workers.slice(0, parts.length) ?? [];
  const more = given.length < parts.length ? new CsvWorkerPool(parts.length - given.length) : null;
  try {
    return await readParts(parts, [...given, ...(more?.workers ?? [])], header);
  } finally {
    await more?.close();
  }
}

async function readParts(parts: CsvPart[], pool: PartWorker[], header: string[]): Promise<{ ds: Dataset; encoding: "utf-8" } | null> {
  const counts = await Promise.all(parts.map((p, i) => pool[i].ask({ type: "count", ...p })));
  const rowsOf: number[] = [];
  for (const [i, c] of counts.entries()) {
    if (c?.type !== "count" || c.malformed || c.inQuotes || (!parts[i].last && !c.atRecordStart)) return null;
    rowsOf.push(c.records - (i === 0 ? 1 : 0));
  }
  const rows = rowsOf.reduce((a, b) => a + b, 0);
  if (rows <= 0 || rowsOf.some((r) => r < 0)) return null;
  const shared = header.map(() => new SharedArrayBuffer(rows * 8));
  const offsets = rowsOf.map((_, i) => rowsOf.slice(0, i).reduce((a, b) => a + b, 0));
  const parsed = await Promise.all(pool.map((w, i) => w.ask({ type: "parse", header, rows: rowsOf[i], rowOffset: offsets[i], columns: shared })));
  const states: ColumnState[][] = [];
  const firstLines: number[] = [];
  let line = 1;
  for (const r of parsed) {
    if (r?.type !== "parse" || r.encoding !== "utf-8") return null;
    states.push(r.states);
    firstLines.push(line);
    line += r.lines;
  }
  const merged = header.map((_, j) => mergeColumnState(states.map((s, i) => shiftLine(s[j], firstLines[i] - 1))));
  const textual = merged.flatMap((s, j) => (s.mode === "text" ? [j] : []));
  let texts: (string | null)[][][] = [];
  if (textual.length > 0) {
    const replies = await Promise.all(pool.map((w) => w.ask({ type: "texts", columns: textual })));
    if (replies.some((r) => r?.type !== "texts")) return null;
    texts = replies.map((r) => (r?.type === "texts" ? r.texts : []));
  }
  const columns: Column[] = header.map((name, j) => {
    const s = merged[j];
    if (s.mode === "number" && s.nulls < rows) return { name, type: "number", values: new Float64Array(shared[j]), nulls: s.nulls };
    if (s.mode === "number") return textColumn(name, rows, new Array<string | null>(rows).fill(null), s, new Interner());
    const k = textual.indexOf(j);
    // Each value crossed a thread as its own copy: share equal ones again, as the serial reader does.
    const interner = new Interner();
    const values: (string | null)[] = new Array(rows);
    let at = 0;
    for (const partTexts of texts) for (const v of partTexts[k]) values[at++] = v === null ? null : interner.intern(v);
    return textColumn(name, rows, values, s, interner);
  });
  return { ds: { columns, rows }, encoding: "utf-8" };
}

/** A part's column state with its first non-number's line counted from the file's first line instead of the part's. */
function shiftLine(s: ColumnState, by: number): ColumnState {
  return s.firstNonNumeric ? { ...s, firstNonNumeric: { value: s.firstNonNumeric.value, line: s.firstNonNumeric.line + by } } : s;
}

/** The header's fields (as the serial reader trims them), or null when the first record does not end within 1 MiB. */
async function readHeaderFields(fh: Awaited<ReturnType<typeof open>>, delimiter: string, source: string): Promise<string[] | null> {
  const buf = Buffer.allocUnsafe(1 << 20);
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  let header: string[] | null = null;
  const stop = new Error("header read");
  const scanner = new CsvScanner(delimiter.charCodeAt(0), source, (rec) => {
    header = rec.toArray().map((h) => h.trim());
    throw stop;
  });
  try {
    scanner.feed(buf.subarray(0, bytesRead));
  } catch (e) {
    if (e !== stop) return null;
  }
  return header;
}

/**
 * Where the parts start and the last ends: 0, then just after the first newline at or past each
 * k/N of the file, then its size. Cuts that meet (lines longer than a part) are merged; null
 * when fewer than two parts are left.
 */
async function cutPoints(fh: Awaited<ReturnType<typeof open>>, size: number, n: number): Promise<number[] | null> {
  const cuts = [0];
  const window = Buffer.allocUnsafe(1 << 16);
  for (let k = 1; k < n; k++) {
    let at = Math.max(Math.floor((size * k) / n), cuts[cuts.length - 1]);
    let found = -1;
    while (found < 0 && at < size) {
      const { bytesRead } = await fh.read(window, 0, window.length, at);
      if (bytesRead === 0) break;
      const lf = window.subarray(0, bytesRead).indexOf(0x0a);
      if (lf >= 0) found = at + lf + 1;
      else at += bytesRead;
    }
    if (found > 0 && found < size && found > cuts[cuts.length - 1]) cuts.push(found);
  }
  cuts.push(size);
  return cuts.length >= 3 ? cuts : null;
}
