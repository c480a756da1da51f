import { isUtf8 } from "node:buffer";
import { DwError } from "../errors/DwError.js";
import { FieldDecoder, type TextEncoding } from "./decodeBytes.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Receives each record (valid only during the call: it is reused) and the line it starts on (1-based). */
export type RecordSink = (record: CsvRecord, line: number) => void;

/**
 * A shortcut a sink may offer for a record that starts at `buf[pos]` and fits on one line of
 * `buf[0, n)`: it takes the record whole and returns the position after its line end, or -1 to
 * have it scanned field by field and given to the sink as usual.
 */
export type FastRow = (buf: Buffer, pos: number, n: number) => number;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The fields of one record as byte ranges of the chunk, decoded only when asked: a number column
 * reads most cells with `number(j)` straight from the bytes, without making a string at all.
 */
export class CsvRecord {
  length = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** Where the record starts in `buf`, and its line: for an error about one of its fields' bytes. */
  private recordStart = 0;
  private recordLine = 1;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  /** Quoted fields, decoded (and unescaped) when scanned; undefined for byte ranges. */
  private readonly texts: (string | undefined)[] = [];

  constructor(private readonly decoder: FieldDecoder) {}

  reset(buf: Buffer, recordStart: number, recordLine: number): void {
    this.buf = buf;
    this.recordStart = recordStart;
    this.recordLine = recordLine;
    this.length = 0;
  }

  pushRange(start: number, end: number): void {
    this.grow();
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.texts[this.length++] = undefined;
  }

  pushText(text: string): void {
    this.grow();
    this.starts[this.length] = -1;
    this.texts[this.length++] = text;
  }

  text(j: number): string {
    return this.texts[j] ?? this.decoder.text(this.buf, this.starts[j], this.ends[j], this.recordStart, this.recordLine);
  }

  /**
   * The field as a number when it is a plain decimal of at most 15 significant digits with a
   * power of ten up to 22 (then m·10^e or m/10^e in doubles is exactly what `Number(text)`
   * gives: both operands are exact and IEEE rounds the one operation correctly); else NaN,
   * which means "ask text(j)", not "missing".
   */
  number(j: number): number {
    const start = this.starts[j];
    return start < 0 ? NaN : parseDecimal(this.buf, start, this.ends[j]);
  }

  toArray(): string[] {
    return Array.from({ length: this.length }, (_, j) => this.text(j));
  }

  private grow(): void {
    if (this.length < this.starts.length) return;
    const s = new Int32Array(this.starts.length * 2);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(this.ends.length * 2);
    e.set(this.ends);
    this.ends = e;
  }
}

function parseDecimal(buf: Buffer, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && (buf[i] === 45 || buf[i] === 43)) neg = buf[i++] === 45;
  let m = 0;
  let digits = 0;
  let sig = 0;
  let frac = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      digits++;
      if (dot) frac++;
      if (m === 0 && c === 48) continue;
      m = m * 10 + (c - 48);
      if (++sig > 15) return NaN;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digits === 0) return NaN;
  let exp = 0;
  if (i < end) {
    if (buf[i] !== 101 && buf[i] !== 69) return NaN;
    i++;
    let eneg = false;
    if (i < end && (buf[i] === 45 || buf[i] === 43)) eneg = buf[i++] === 45;
    const first = i;
    for (; i < end; i++) {
      const c = buf[i];
      if (c < 48 || c > 57 || exp > 1000) return NaN;
      exp = exp * 10 + (c - 48);
    }
    if (i === first) return NaN;
    if (eneg) exp = -exp;
  }
  const e10 = exp - frac;
  let v: number;
  if (m === 0) v = 0;
  else if (e10 >= 0 && e10 <= 22) v = m * POW10[e10];
  else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10];
  else return NaN;
  return neg ? -v : v;
}

/**
 * An RFC 4180 CSV scanner fed with byte chunks, so a file is read in pieces instead of as one
 * string. It works on bytes because every delimiter, quote and newline is ASCII and never part
 * of a UTF-8 sequence; each field is decoded on its own, which also gives every value its own
 * flat string (a slice of a big chunk string would keep the whole chunk alive).
 *
 * Quoted fields may hold delimiters, newlines and doubled quotes. A quote inside an unquoted
 * field is kept as text. Text after a closing quote, or a quote left open at the end of the
 * file, is a DATA_ERROR naming the line. Empty lines are skipped.
 *
 * Fields are UTF-8, or windows-1252 when the bytes are not UTF-8 (see FieldDecoder); pass
 * `encoding` to read them in that one without looking (a second pass over the same file).
 */
export class CsvScanner {
  private carry: Buffer | null = null;
  /** Line number of the first byte of `carry`. */
  private line = 1;
  /** File offset of the first byte of `carry` (or of the next chunk). */
  private offset = 0;
  private readonly decoder: FieldDecoder;
  private readonly fields: CsvRecord;
  private bomChecked = false;
  private readonly fastRow: FastRow | null;

  /** `options.offset`: where in the file the first byte fed is (a part of a file read on its own; its lines are then counted from 1 there). */
  constructor(
    private readonly delimiter: number,
    private readonly source: string,
    private readonly sink: RecordSink,
    encoding?: TextEncoding,
    options: { fastRow?: FastRow; offset?: number } = {},
  ) {
    this.decoder = new FieldDecoder(encoding ?? "utf-8", source, encoding !== undefined);
    this.fields = new CsvRecord(this.decoder);
    this.fastRow = options.fastRow ?? null;
    this.offset = options.offset ?? 0;
  }

  /** The file offset up to which records have been scanned (the next record starts there). */
  get position(): number {
    return this.offset;
  }

  /** The line the next record starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** The encoding the fields were read in: UTF-8 unless bytes that are not UTF-8 made it windows-1252. */
  get encoding(): TextEncoding {
    return this.decoder.encoding;
  }

  /** Scans every complete record in `chunk` (plus what was left from the last chunk). */
  feed(chunk: Buffer): void {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    if (!this.bomChecked && buf.length >= 3) {
      this.bomChecked = true;
      if (this.offset === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        this.offset = 3;
        if (this.decoder.fixed === null) this.decoder.fixed = "bom";
      }
    }
    // One native check of the chunk's complete lines spares each non-ASCII field a check of its own.
    const lastLf = buf.lastIndexOf(LF);
    this.decoder.validEnd = this.decoder.encoding === "utf-8" && lastLf >= 0 && isUtf8(buf.subarray(0, lastLf + 1)) ? lastLf + 1 : 0;
    this.decoder.base = this.offset;
    const consumed = this.scan(buf, false);
    this.offset += consumed;
    this.carry = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null;
  }

  /** Scans what is left: the last record may lack a final newline. */
  end(): void {
    if (this.carry) {
      this.decoder.validEnd = this.decoder.encoding === "utf-8" && isUtf8(this.carry) ? this.carry.length : 0;
      this.decoder.base = this.offset;
      this.scan(this.carry, true);
    }
    this.carry = null;
  }

  /** Returns how many bytes were consumed (up to the end of the last complete record). */
  private scan(buf: Buffer, final: boolean): number {
    const d = this.delimiter;
    const n = buf.length;
    const fields = this.fields;
    const fastRow = this.fastRow;
    let pos = 0;
    let line = this.line;
    while (pos < n) {
      const recordStart = pos;
      const recordLine = line;
      fields.reset(buf, recordStart, recordLine);
      let complete = false;
      // Empty line: skip it.
      if (buf[pos] === LF || (buf[pos] === CR && pos + 1 < n && buf[pos + 1] === LF)) {
        pos += buf[pos] === CR ? 2 : 1;
        line++;
        this.line = line;
        continue;
      }
      if (fastRow !== null) {
        const end = fastRow(buf, pos, n);
        if (end >= 0) {
          pos = end;
          this.line = ++line;
          continue;
        }
      }
      for (;;) {
        if (pos < n && buf[pos] === QUOTE) {
          // Quoted field.
          const openLine = line;
          let i = pos + 1;
          let escaped = false;
          let closed = -1;
          while (i < n) {
            const c = buf[i];
            if (c === QUOTE) {
              if (i + 1 < n && buf[i + 1] === QUOTE) {
                escaped = true;
                i += 2;
                continue;
              }
              if (i + 1 >= n && !final) break;
              closed = i;
              break;
            }
            if (c === LF) line++;
            i++;
          }
          if (closed < 0) {
            if (!final) return this.rewind(recordStart, recordLine);
            throw new DwError("DATA_ERROR", `${this.source}, line ${openLine}: a quoted field is never closed.`, {
              hint: 'Close the quote, or double a quote inside a quoted field ("").',
              details: { file: this.source, line: openLine, column: fields.length + 1 },
            });
          }
          let text = this.decoder.text(buf, pos + 1, closed, recordStart, recordLine);
          if (escaped) text = text.replace(/""/g, '"');
          fields.pushText(text);
          pos = closed + 1;
          if (pos >= n) {
            if (!final) return this.rewind(recordStart, recordLine);
            complete = true;
            break;
          }
          const c = buf[pos];
          if (c === d) {
            pos++;
            continue;
          }
          if (c === LF || c === CR) {
            pos = skipNewline(buf, pos, final);
            if (pos < 0) return this.rewind(recordStart, recordLine);
            line++;
            complete = true;
            break;
          }
          throw new DwError("DATA_ERROR", `${this.source}, line ${line}: text after the closing quote of field ${fields.length}.`, {
            hint: 'A quoted field must end at a delimiter or the end of the line; double a quote inside it ("").',
            details: { file: this.source, line, column: fields.length },
          });
        }
        // Unquoted field: up to the delimiter or the end of the line.
        let i = pos;
        while (i < n) {
          const c = buf[i];
          if (c === d || c === LF) break;
          i++;
        }
        if (i >= n && !final) return this.rewind(recordStart, recordLine);
        let end = i;
        if (end > pos && buf[end - 1] === CR && (i >= n || buf[i] === LF)) end--;
        fields.pushRange(pos, end);
        if (i < n && buf[i] === d) {
          pos = i + 1;
          continue;
        }
        pos = i < n ? i + 1 : i;
        if (i < n) line++;
        complete = true;
        break;
      }
      if (complete) {
        this.line = line;
        this.sink(fields, recordLine);
      }
    }
    this.line = line;
    return pos;
  }

  private rewind(recordStart: number, recordLine: number): number {
    this.line = recordLine;
    return recordStart;
  }
}

/** After a CR or LF at `pos`: the position past the line ending, or -1 when a CR ends the chunk (an LF may follow). */
function skipNewline(buf: Buffer, pos: number, final: boolean): number {
  if (buf[pos] === LF) return pos + 1;
  if (pos + 1 >= buf.length) return final ? pos + 1 : -1;
  return buf[pos + 1] === LF ? pos + 2 : pos + 1;
}

const CANDIDATES = [",", ";", "\t", "|"];

/**
 * Guesses the delimiter from the first lines: the candidate (comma, semicolon, tab, pipe) found
 * the same number of times, outside quotes, on the most lines, with the most fields. A file with
 * a single column has none of them: comma is as good as any.
 */
export function sniffDelimiter(sample: string): string {
  const lines = splitSampleLines(sample).slice(0, 20);
  let best = ",";
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const agreeing = counts.filter((c) => c === first).length;
    const score = agreeing * 1000 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Lines of the sample, not splitting inside quotes; the last (maybe cut) line is dropped when there are others. */
function splitSampleLines(sample: string): string[] {
  const out: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === "\n" && !inQuotes) {
      const l = sample.slice(start, i).replace(/\r$/, "");
      if (l !== "") out.push(l);
      start = i + 1;
    }
  }
  const rest = sample.slice(start);
  if (rest !== "" && out.length === 0) out.push(rest);
  return out;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQuotes = false;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (c === d && !inQuotes) n++;
  }
  return n;
}
