import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Column, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { CsvScanner, sniffDelimiter, type CsvRecord, type RecordSink } from "./csvScanner.js";
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
      }
      else this.texts = new Array<string | null>(row).fill(null);
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
    if (!this.header) throw new DwError("DATA_ERROR", `${this.source} is empty: expected a header row and data rows.`, { hint: "Check that the file was written completely.", details: { file: this.source } });
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
    if (!h) throw new DwError("DATA_ERROR", `${source}: column ${i + 1} of the header has no name.`, { hint: "Give every column a name in the first row.", details: { file: source, line: 1, column: i + 1 } });
    if (seen.has(h)) throw new DwError("DATA_ERROR", `${source}: the header names column '${h}' twice.`, { hint: "Rename one of them.", details: { file: source, line: 1, column: h } });
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

/**
 * Reads a CSV file from disk in 1 MiB chunks into typed columns (see ColumnBuilder for the
 * inference). The delimiter is sniffed from the first 64 KiB unless given.
 */
export async function readCsvFile(file: string, source: string, delimiter?: string): Promise<{ ds: Dataset; delimiter: string }> {
  const d = delimiter ?? sniffDelimiter(await readSample(file));
  const table = new CsvTable(source);
  await scanFile(file, d, source, table.record);
  if (table.rereads().length > 0) {
    const second = table.secondPass();
    await scanFile(file, d, source, second);
  }
  return { ds: table.finish(), delimiter: d };
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

async function scanFile(file: string, d: string, source: string, sink: RecordSink): Promise<void> {
  const scanner = new CsvScanner(d.charCodeAt(0), source, sink);
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) scanner.feed(chunk as Buffer);
  scanner.end();
}

async function readSample(file: string): Promise<string> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.toString("utf8", 0, bytesRead);
  } finally {
    await fh.close();
  }
}
