/**
 * The worker side of readCsvParallel: one part of a CSV file, a byte range that starts where a
 * record does (or at 0). It answers three requests in turn: count the part's records; parse them
 * into the shared number columns at the part's first row (CsvTable, the same code the serial
 * reader runs); then give the cells' text of the columns that turned out not to be numbers in
 * the whole file. Any error is posted back as its message: the caller then reads the file
 * serially, which raises the error with its line.
 */
import { open } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import { CsvRecordCounter } from "./CsvRecordCounter.js";
import { CsvTable, type ColumnState } from "./csvColumns.js";
import { CsvScanner, type FastRow, type RecordSink } from "./csvScanner.js";
import type { TextEncoding } from "./decodeBytes.js";

export interface CsvPart {
  file: string;
  source: string;
  delimiter: number;
  start: number;
  end: number;
  /** Whether the part starts the file, so its first record is the header. */
  first: boolean;
  /** Whether the part ends the file (its last record may lack a newline); any other part ends just after one. */
  last: boolean;
}

export type CsvPartRequest =
  | ({ type: "count" } & CsvPart)
  | { type: "parse"; header: string[]; rows: number; rowOffset: number; columns: SharedArrayBuffer[] }
  | { type: "texts"; columns: number[] };

export type CsvPartReply =
  | { ok: true; type: "count"; records: number; atRecordStart: boolean; inQuotes: boolean; malformed: boolean }
  | { ok: true; type: "parse"; rows: number; lines: number; encoding: TextEncoding; states: ColumnState[] }
  | { ok: true; type: "texts"; texts: (string | null)[][] }
  | { ok: false; message: string };

const CHUNK = 1 << 20;

let part: CsvPart | null = null;
let table: CsvTable | null = null;

/** Feeds the part's bytes to `feed`, 1 MiB at a time. */
async function readPart(p: CsvPart, feed: (chunk: Buffer) => void): Promise<void> {
  const fh = await open(p.file, "r");
  try {
    for (let at = p.start; at < p.end; ) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, p.end - at));
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      if (bytesRead === 0) throw new Error(`${p.source} ended at byte ${at}, before ${p.end}: it changed while being read`);
      feed(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

async function scanPart(p: CsvPart, sink: RecordSink, encoding?: TextEncoding, fastRow?: FastRow): Promise<CsvScanner> {
  const scanner = new CsvScanner(p.delimiter, p.source, sink, encoding, { fastRow, offset: p.start });
  await readPart(p, (chunk) => scanner.feed(chunk));
  if (!p.last && scanner.position !== p.end) throw new Error(`the records of bytes ${p.start}-${p.end} end at ${scanner.position}`);
  scanner.end();
  return scanner;
}

async function answer(req: CsvPartRequest): Promise<CsvPartReply> {
  if (req.type === "count") {
    part = req;
    const counter = new CsvRecordCounter(req.delimiter);
    await readPart(req, (chunk) => counter.feed(chunk));
    return {
      ok: true,
      type: "count",
      records: counter.records,
      atRecordStart: counter.atRecordStart,
      inQuotes: counter.inQuotes,
      malformed: counter.malformed,
    };
  }
  if (!part) throw new Error("no part was counted");
  const p = part;
  if (req.type === "parse") {
    const nums = req.columns.map((sab) => new Float64Array(sab, req.rowOffset * 8, req.rows));
    const t = new CsvTable(p.source, p.delimiter, { header: p.first ? undefined : req.header, nums });
    table = t;
    const scanner = await scanPart(p, t.record, undefined, t.fastRow);
    // The counter and the parser must agree on the part's rows, each column filled in place.
    if (t.rows !== req.rows) throw new Error(`parsed ${t.rows} rows where ${req.rows} were counted`);
    if (t.columns.length !== req.header.length || t.columns.some((c, j) => c.mode === "number" && c.nums !== nums[j]))
      throw new Error("the columns were not filled in place");
    return { ok: true, type: "parse", rows: t.rows, lines: scanner.nextLine - 1, encoding: scanner.encoding, states: t.states() };
  }
  const t = table;
  if (!t) throw new Error("the part was not parsed");
  const cols = req.columns.map((j) => t.columns[j]);
  // Columns still holding numbers here, or whose numbers came before their first text, are read again for their text.
  const again = cols.filter((c) => c.mode === "number" || c.reread);
  if (again.length > 0) await scanPart(p, t.secondPass(again, p.first), "utf-8");
  return { ok: true, type: "texts", texts: cols.map((c) => c.texts) };
}

parentPort!.on("message", (req: CsvPartRequest) => {
  answer(req).then(
    (reply) => parentPort!.postMessage(reply),
    (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) } satisfies CsvPartReply),
  );
});
