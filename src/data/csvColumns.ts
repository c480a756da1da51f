import type { Column, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import type { CsvRecord, FastRow, RecordSink } from "./csvScanner.js";
import { BOOLEAN, DATE, Interner, NULL_TOKENS, toNumber } from "./inferTypes.js";
import { parseNumericRow } from "./parseNumericRow.js";

/** `s.trim()`, without the call for the usual cell that has no space at either end. */
function trimmed(s: string): string {
  const n = s.length;
  const a = s.charCodeAt(0);
  const z = s.charCodeAt(n - 1);
  return n === 0 || (a > 32 && a < 127 && z > 32 && z < 127) ? s : s.trim();
}

/**
 * What one column's cells said about its type: a part of a file (a worker's byte range) reports
 * this, and the parts' reports add up to the whole file's (see mergeColumnState).
 */
export interface ColumnState {
  mode: "number" | "text";
  nulls: number;
  /** Cells that were numbers. */
  numbers: number;
  /** No cell so far was other than a null or a true/false (numbers checked apart: see textColumn). */
  bool: boolean;
  date: boolean;
  /** The first cell that is neither missing nor a number, and its line. */
  firstNonNumeric?: { value: string; line: number };
}

/**
 * One column while the file is read. It starts as numbers in a typed array; the first value that
 * is neither missing nor a number turns it into text. If numbers were already stored, their
 * original text is gone (1.50 became 1.5), so the column is marked to be read again as text in a
 * second pass over the file: rare, and cheaper than keeping every cell's text.
 */
export class ColumnBuilder implements ColumnState {
  mode: "number" | "text" = "number";
  nums: Float64Array;
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
  readonly interner = new Interner();

  /** `nums`: where to write the numbers when the row count is known (a parallel read's shared column); else it grows. */
  constructor(
    readonly name: string,
    nums?: Float64Array,
  ) {
    this.nums = nums ?? new Float64Array(1024);
  }

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

  /** Room for row `row` in `nums`, doubling it when needed. */
  ensure(row: number): void {
    if (row < this.nums.length) return;
    const grown = new Float64Array(Math.max(1024, this.nums.length * 2, row + 1));
    grown.set(this.nums);
    this.nums = grown;
  }

  private setNumber(row: number, v: number): void {
    if (row >= this.nums.length) this.ensure(row);
    this.nums[row] = v;
  }

  finish(rows: number): Column {
    const { name, nulls } = this;
    if (this.mode === "number" && nulls < rows)
      return { name, type: "number", values: this.nums.length === rows ? this.nums : this.nums.slice(0, rows), nulls };
    return textColumn(name, rows, this.mode === "number" ? new Array<string | null>(rows).fill(null) : this.texts, this, this.interner);
  }
}

/**
 * A column that is not all numbers, from each cell's text (null for a missing one) and its
 * state: boolean when every present cell is true/false (any case) and none is a number, date
 * when every one is an ISO date, else string.
 */
export function textColumn(name: string, rows: number, texts: (string | null)[], s: ColumnState, interner: Interner): Column {
  const { nulls } = s;
  if (s.mode === "number") return { name, type: "string", values: texts, nulls, numericShare: 0 };
  const bool = s.bool && s.numbers === 0;
  const type = bool ? "boolean" : s.date && s.numbers === 0 ? "date" : "string";
  const values = bool ? texts.map((v) => (v === null ? null : interner.intern(v.trim().toLowerCase()))) : texts;
  return { name, type, values, nulls, firstNonNumeric: s.firstNonNumeric, numericShare: rows > nulls ? s.numbers / (rows - nulls) : 0 };
}

/**
 * The state of a whole column from its parts' states, in file order: the same as one builder
 * fed every part would end with. A part still in number mode that has numbers makes a text
 * column not boolean and not a date, as those numbers would have (see textColumn).
 */
export function mergeColumnState(parts: ColumnState[]): ColumnState {
  const out: ColumnState = { mode: "number", nulls: 0, numbers: 0, bool: true, date: true };
  for (const p of parts) {
    out.nulls += p.nulls;
    out.numbers += p.numbers;
    out.bool &&= p.bool;
    out.date &&= p.date;
    if (p.mode === "text" && out.mode === "number") {
      out.mode = "text";
      out.firstNonNumeric = p.firstNonNumeric;
    }
  }
  return out;
}

/**
 * Builds typed columns from CSV records: the first record is the header (unless the header is
 * given: a part of a file after its first line). Wrong field counts are a DATA_ERROR naming the
 * line; no row is dropped. Records of plain decimals while every column is numbers go through
 * `fastRow`, which parses them straight into the columns.
 */
export class CsvTable {
  header: string[] | null = null;
  columns: ColumnBuilder[] = [];
  rows = 0;
  /** Rows parsed by fastRow whose numbers are not yet counted in each column's `numbers`. */
  private pendingFast = 0;
  private fastOk = true;
  private fastHits = 0;
  private fastMisses = 0;
  private arrays: Float64Array[] = [];
  private room = 0;
  /** The last LF of the buffer being scanned (buf[0, lfEnd)), found once per buffer. */
  private lfBuf: Buffer | null = null;
  private lfEnd = 0;
  private lastLf = -1;

  /**
   * `preset`: each column's number array, for a part of a file whose row count is known (a
   * parallel read's shared columns), and its header when the part does not start with it.
   */
  constructor(
    private readonly source: string,
    private readonly delimiter: number,
    private readonly preset?: { header?: string[]; nums: Float64Array[] },
  ) {
    if (preset?.header) this.setHeader(preset.header, preset.nums);
  }

  private setHeader(header: string[], nums = this.preset?.nums): void {
    this.header = header;
    this.columns = header.map((h, j) => new ColumnBuilder(h, nums?.[j]));
    this.refreshArrays();
  }

  private refreshArrays(): void {
    this.arrays = this.columns.map((c) => c.nums);
    this.room = Math.min(...this.arrays.map((a) => a.length));
  }

  record = (rec: CsvRecord, line: number): void => {
    if (!this.header) {
      this.setHeader(readHeader(rec.toArray(), this.source));
      return;
    }
    if (rec.length !== this.columns.length) throw fieldCountError(this.source, line, this.columns.length, rec.length);
    this.flushFast();
    for (let j = 0; j < rec.length; j++) this.columns[j].add(rec, j, this.rows, line);
    this.rows++;
    if (this.fastOk) {
      for (const c of this.columns) if (c.mode !== "number") this.fastOk = false;
      if (this.fastOk && this.columns.some((c, j) => c.nums !== this.arrays[j])) this.refreshArrays();
    }
  };

  /** The scanner's shortcut for a record of plain decimals (see parseNumericRow); -1 leaves it to `record`. */
  fastRow: FastRow = (buf, pos, n) => {
    if (!this.fastOk || this.header === null) return -1;
    // parseNumericRow reads up to the record's LF: there must be one in buf[pos, n).
    if (buf !== this.lfBuf || n !== this.lfEnd) {
      this.lfBuf = buf;
      this.lfEnd = n;
      this.lastLf = n > 0 ? buf.lastIndexOf(0x0a, n - 1) : -1;
    }
    if (pos > this.lastLf) return -1;
    const row = this.rows;
    if (row >= this.room) {
      for (const c of this.columns) c.ensure(row);
      this.refreshArrays();
    }
    const end = parseNumericRow(buf, pos, this.delimiter, this.arrays, row);
    if (end < 0) {
      // Columns of 17-digit floats or of text in most rows: stop trying.
      if (++this.fastMisses >= 1024 && this.fastMisses > this.fastHits) this.fastOk = false;
      return -1;
    }
    this.fastHits++;
    this.pendingFast++;
    this.rows++;
    return end;
  };

  private flushFast(): void {
    if (this.pendingFast === 0) return;
    for (const c of this.columns) c.numbers += this.pendingFast;
    this.pendingFast = 0;
  }

  /** Columns to read again as text, or none. */
  rereads(): ColumnBuilder[] {
    this.flushFast();
    return this.columns.filter((c) => c.reread);
  }

  /** A sink for a second pass that gives `which` columns (default: those to read again) each cell's text; `skipFirst` skips the header. */
  secondPass(which: ColumnBuilder[] = this.rereads(), skipFirst = true): RecordSink {
    const cols = this.columns.map((c, j) => [c, j] as const).filter(([c]) => which.includes(c));
    for (const [c] of cols) c.texts = [];
    let first = skipFirst;
    return (rec) => {
      if (first) {
        first = false;
        return;
      }
      for (const [c, j] of cols) c.addText(rec.text(j));
    };
  }

  /** Each column's state so far (the part of a file this table read). */
  states(): ColumnState[] {
    this.flushFast();
    return this.columns.map((c) => ({ mode: c.mode, nulls: c.nulls, numbers: c.numbers, bool: c.bool, date: c.date, firstNonNumeric: c.firstNonNumeric }));
  }

  finish(): Dataset {
    if (!this.header)
      throw new DwError("DATA_ERROR", `${this.source} is empty: expected a header row and data rows.`, {
        hint: "Check that the file was written completely.",
        details: { file: this.source },
      });
    if (this.rows === 0) throw noRows(this.source, this.header);
    this.flushFast();
    for (const c of this.columns) if (c.reread) c.reread = false;
    return { columns: this.columns.map((c) => c.finish(this.rows)), rows: this.rows };
  }
}

export function noRows(source: string, header: string[]): DwError {
  return new DwError("DATA_ERROR", `${source} has a header (${header.join(", ")}) but no data rows.`, {
    hint: "Check that the export wrote its rows, or load another file.",
    details: { file: source, line: 2 },
  });
}

export function readHeader(fields: string[], source: string): string[] {
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
