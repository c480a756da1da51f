import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Column, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { CsvScanner, sniffDelimiter, type CsvRecord, type RecordSink } from "./csvScanner.js";
import type { TextEncoding } from "./decodeBytes.js";
import { BOOLEAN, DATE, Interner, NULL_TOKENS, toNumber } from "./inferTypes.js";

/**
 * One column while the file is read. It starts as numbers in a typed array; the first value that
 * is neither missing nor a number turns it into text. If numbers were already stored, their
 * original text is gone (1.50 became 1.5), so the column is marked to be read again as text in a
 * second pass over the file: rare, and cheaper than keeping every cell's text.
 */
/** `s.trim()`, without the call for the usual cell that has no space at either end. */
function trimmed(s: string): string {
  const n = s.length;
  const a = s.charCodeAt(0);
  const z = s.charCodeAt(n - 1);
  return n === 0 || (a > 32 && a < 127 && z > 32 && z < 127) ? s : s.trim();
}

class ColumnBuilder {
  mode: "number" | "text" = "number";
  nums = new Float64Array(1024);
  texts: (string | null)[] = [];
  nulls = 0;
  numbers = 0;
  bool = true;
  date = true;
  reread = false;
  /** Whether to try CsvRecord.number first (see add). */
  private fast = true;
  private fastHits = 0;
  private fastMisses = 0;
  firstNonNumeric?: { value: string; line: number };
  private readonly interner = new Interner();

  constructor(readonly name: string) {}

  add(rec: CsvRecord, j: number, row: number, line: number): void {
    if (this.mode === "number" && this.fast) {
      const n = rec.number(j);
      if (n === n) {
        this.numbers++;
        this.fastHits++;
        this.setNumber(row, n);
        return;
      }
    }
    const raw = rec.text(j);
    const t = trimmed(raw);
    if (t.length <= 4 && NULL_TOKENS.has(t)) {
      this.nulls++;
      if (this.mode === "number") this.setNumber(row, NaN);
      else if (!this.reread) this.texts.push(null);
      return;
    }
    const n = toNumber(t);
    if (n === n) {
      this.numbers++;
      // Full-precision floats (17 digits) never take the fast path: stop trying when they are most of the column.
      if (this.fast && ++this.fastMisses >= 1024 && this.fastMisses > this.fastHits) this.fast = false;
      this.bool = false;
      this.date = false;
      if (this.mode === "number") this.setNumber(row, n);
      else if (!this.reread) this.texts.push(this.interner.intern(raw));
      return;
    }
    if (this.mode === "number") {
      this.firstNonNumeric = { value: t, line };
      this.mode = "text";
      if (this.numbers > 0) {
        this.reread = true;
        this.bool = false;
        this.date = false;
      } else this.texts = new Array<string | null>(row).fill(null);
      this.nums = new Float64Array(0);
    }
    if (this.bool && !BOOLEAN.test(t)) this.bool = false;
    if (this.date && !DATE.test(t)) this.date = false;
    if (!this.reread) this.texts.push(this.interner.intern(raw));
  }

  /** Second pass: the raw text of a column that turned out not to be numeric. */
  addText(raw: string): void {
    this.texts.push(NULL_TOKENS.has(raw.trim()) ? null : this.interner.intern(raw));
  }

  private setNumber(row: number, v: number): void {
    if (row >= this.nums.length) {
      const grown = new Float64Array(this.nums.length * 2);
      grown.set(this.nums);
      this.nums = grown;
    }
    this.nums[row] = v;
  }

  finish(rows: number): Column {
    const { name, nulls } = this;
    if (this.mode === "number" && nulls < rows) return { name, type: "number", values: this.nums.slice(0, rows), nulls };
    if (this.mode === "number") return { name, type: "string", values: new Array<string | null>(rows).fill(null), nulls, numericShare: 0 };
    const type = this.bool ? "boolean" : this.date ? "date" : "string";
    const values = this.bool ? this.texts.map((v) => (v === null ? null : this.interner.intern(v.trim().toLowerCase()))) : this.texts;
    return { name, type, values, nulls, firstNonNumeric: this.firstNonNumeric, numericShare: rows > nulls ? this.numbers / (rows - nulls) : 0 };
  }
}

/**
 * Builds typed columns from CSV records: the first record is the header. Wrong field counts are
 * a DATA_ERROR naming the line; no row is dropped.
 */
class CsvTable {
  header: string[] | null = null;
  columns: ColumnBuilder[] = [];
  rows = 0;

  constructor(private readonly source: string) {}

  record = (rec: CsvRecord, line: number): void => {
    if (!this.header) {
      this.header = readHeader(rec.toArray(), this.source);
      this.columns = this.header.map((h) => new ColumnBuilder(h));
      return;
    }
    if (rec.length !== this.columns.length) throw fieldCountError(this.source, line, this.columns.length, rec.length);
    for (let j = 0; j < rec.length; j++) this.columns[j].add(rec, j, this.rows, line);
    this.rows++;
  };

  /** Columns to read again as text, or none. */
  rereads(): ColumnBuilder[] {
    return this.columns.filter((c) => c.reread);
  }

  secondPass(): RecordSink {
    const cols = this.columns.map((c, j) => [c, j] as const).filter(([c]) => c.reread);
    let first = true;
    return (rec) => {
      if (first) {
        first = false;
        return;
      }
      for (const [c, j] of cols) c.addText(rec.text(j));
    };
  }

  finish(): Dataset {
    if (!this.header)
      throw new DwError("DATA_ERROR", `${this.source} is empty: expected a header row and data rows.`, {
        hint: "Check that the file was written completely.",
        details: { file: this.source },
      });
    if (this.rows === 0) {
      throw new DwError("DATA_ERROR", `${this.source} has a header (${this.header.join(", ")}) but no data rows.`, {
        hint: "Check that the export wrote its rows, or load another file.",
        details: { file: this.source, line: 2 },
      });
    }
    for (const c of this.columns) if (c.reread) c.reread = false;
    return { columns: this.columns.map((c) => c.finish(this.rows)), rows: this.rows };
  }
}

function readHeader(fields: string[], source: string): string[] {
  const header = fields.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (!h)
      throw new DwError("DATA_ERROR", `${source}: column ${i + 1} of the header has no name.`, {
        hint: "Give every column a name in the first row.",
        details: { file: source, line: 1, column: i + 1 },
      });
    if (seen.has(h))
      throw new DwError("DATA_ERROR", `${source}: the header names column '${h}' twice.`, {
        hint: "Rename one of them.",
        details: { file: source, line: 1, column: h },
      });
    seen.add(h);
  });
  return header;
}

function fieldCountError(source: string, line: number, expected: number, found: number): DwError {
  const hint = found === 1 && expected > 1 ? " The line has none of the file's delimiters: is it a different delimiter, or a stray note?" : "";
  return new DwError("DATA_ERROR", `${source}, line ${line}: expected ${expected} fields (as in the header), found ${found}.`, {
    hint: `Fix or remove that row; dw does not drop malformed rows silently.${hint}`,
    details: { file: source, line, expected, found },
  });
}

const CHUNK = 1 << 20;

/** What a CSV file was decoded from: UTF-8 (with or without a byte order mark), windows-1252 when its bytes are not UTF-8, or UTF-16 with a byte order mark. */
export type CsvEncoding = TextEncoding | "utf-16le" | "utf-16be";

/**
 * Reads a CSV file from disk in 1 MiB chunks into typed columns (see ColumnBuilder for the
 * inference). The delimiter is sniffed from the first 64 KiB unless given. The text is UTF-8,
 * or windows-1252 when the bytes are not UTF-8, or UTF-16 after its byte order mark; what was
 * used is returned as `encoding` (docs/data.md, "Text encodings").
 */
export async function readCsvFile(file: string, source: string, delimiter?: string): Promise<{ ds: Dataset; delimiter: string; encoding: CsvEncoding }> {
  const sample = await readSample(file, source);
  const d = delimiter ?? sniffDelimiter(sample.text);
  const table = new CsvTable(source);
  const encoding = await scanFile(file, d, source, table.record, sample.utf16);
  if (table.rereads().length > 0) {
    const second = table.secondPass();
    await scanFile(file, d, source, second, sample.utf16, encoding);
  }
  return { ds: table.finish(), delimiter: d, encoding: sample.utf16 ?? encoding };
}

/** The same as readCsvFile, for CSV text already in memory. */
export function parseCsvText(text: string, source: string, delimiter?: string): { ds: Dataset; delimiter: string } {
  const d = delimiter ?? sniffDelimiter(text.slice(0, 65536));
  const buf = Buffer.from(text, "utf8");
  const table = new CsvTable(source);
  scanBuffer(buf, d, source, table.record);
  if (table.rereads().length > 0) scanBuffer(buf, d, source, table.secondPass());
  return { ds: table.finish(), delimiter: d };
}

function scanBuffer(buf: Buffer, d: string, source: string, sink: RecordSink): void {
  const scanner = new CsvScanner(d.charCodeAt(0), source, sink);
  scanner.feed(buf);
  scanner.end();
}

/**
 * One pass over the file; returns the encoding its fields were read in. `encoding` (from an
 * earlier pass) reads them in that one without looking again. UTF-16 is turned into UTF-8 on
 * the way, since the scanner finds delimiters, quotes and newlines as single ASCII bytes.
 */
async function scanFile(file: string, d: string, source: string, sink: RecordSink, utf16?: Utf16, encoding?: TextEncoding): Promise<TextEncoding> {
  const scanner = new CsvScanner(d.charCodeAt(0), source, sink, utf16 ? "utf-8" : encoding);
  const toUtf8 = utf16 ? utf16ToUtf8(utf16, source) : null;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) scanner.feed(toUtf8 ? toUtf8(chunk as Buffer, false) : (chunk as Buffer));
  if (toUtf8) scanner.feed(toUtf8(Buffer.alloc(0), true));
  scanner.end();
  return scanner.encoding;
}

type Utf16 = "utf-16le" | "utf-16be";

/** Decodes UTF-16 chunks of either byte order (the byte order mark dropped) into UTF-8 chunks; a byte or surrogate cut by a chunk waits for the next. */
function utf16ToUtf8(encoding: Utf16, source: string): (chunk: Buffer, last: boolean) => Buffer {
  const decoder = new TextDecoder("utf-16le", { fatal: true });
  let held: Buffer | null = null;
  let offset = 0;
  return (chunk, last) => {
    let bytes = chunk;
    if (encoding === "utf-16be") {
      // Swap each pair and read it as little-endian: Node decodes UTF-16LE without ICU.
      const joined = held ? Buffer.concat([held, chunk]) : chunk;
      const even = joined.length & ~1;
      bytes = Buffer.from(joined.subarray(0, even)).swap16();
      held = even < joined.length ? Buffer.from(joined.subarray(even)) : null;
      if (last && held) bytes = Buffer.concat([bytes, held]);
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: !last });
    } catch {
      throw new DwError(
        "DATA_ERROR",
        `${source}: the file starts with a UTF-16 byte order mark, but the bytes from offset ${offset} to ${offset + chunk.length} are not UTF-16 (a surrogate without its pair, or an odd number of bytes).`,
        {
          hint: 'Save it again as UTF-8 (Excel: Save As, "CSV UTF-8"; pandas: df.to_csv(path, encoding="utf-8")) and load it again.',
          details: { file: source, offset, encoding },
        },
      );
    }
    offset += chunk.length;
    return Buffer.from(text, "utf8");
  };
}

/**
 * The first 64 KiB, as text to sniff the delimiter from, and whether a UTF-16 byte order mark
 * starts the file. A NUL byte anywhere else in it means this is no text dw can read: an Excel
 * workbook or other binary file under a .csv name, or UTF-16 without a byte order mark.
 */
async function readSample(file: string, source: string): Promise<{ text: string; utf16?: Utf16 }> {
  const fh = await open(file, "r");
  let bytes: Buffer;
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    bytes = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const utf16: Utf16 | undefined = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : undefined;
  if (utf16) {
    // Not fatal here: the sample may end inside a character; scanFile reads the whole file strictly.
    const pairs = bytes.subarray(0, bytes.length & ~1);
    return { text: new TextDecoder("utf-16le").decode(utf16 === "utf-16be" ? Buffer.from(pairs).swap16() : pairs), utf16 };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line++;
    throw new DwError(
      "DATA_ERROR",
      `${source}, line ${line}: byte ${nul} is a NUL (0x00), which no CSV text holds: the file is binary (an Excel workbook saved under a .csv name?) or UTF-16 without a byte order mark.`,
      {
        hint: 'Export the data as CSV in UTF-8 (Excel: Save As, "CSV UTF-8"), or as Parquet, and load that file.',
        details: { file: source, line, offset: nul },
      },
    );
  }
  // Delimiters, quotes and newlines are ASCII: any one-byte reading finds them.
  return { text: bytes.toString("latin1") };
}
