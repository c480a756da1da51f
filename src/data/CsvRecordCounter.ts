const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

// Where the counter is: at a record's start, in an unquoted field, in a quoted one, or just past a quote inside one.
const RECORD_START = 0;
/** A CR at a record's start: with an LF after it, the line is empty. */
const CR_AT_START = 1;
const FIELD_START = 2;
const UNQUOTED = 3;
const QUOTED = 4;
const QUOTE_IN_QUOTED = 5;
/** A CR after a closing quote: it ends the record (an LF after it belongs to it). */
const CR_AFTER_QUOTE = 6;

/**
 * Counts the records of a stretch of CSV bytes fed in chunks, by the scanner's own rules (see
 * CsvScanner): empty lines are no records; a quote opens a quoted field only at a field's start;
 * inside one, delimiters and newlines are text and a doubled quote is a quote. It tells a
 * parallel read (readCsvParallel) how many rows each part of a file holds, and whether a part
 * that starts after a newline starts a record there (`atRecordStart` at the part's end), before
 * any field is parsed. Text after a closing quote, which the scanner refuses, makes `malformed`
 * true: the caller then leaves the file to the serial reader, which names the line.
 *
 * A chunk without quotes, the usual case, is counted by its newlines (Buffer.indexOf, native).
 */
export class CsvRecordCounter {
  records = 0;
  malformed = false;
  private at = RECORD_START;

  constructor(private readonly delimiter: number) {}

  /** Whether the bytes fed so far end where a record may start: after a complete line. */
  get atRecordStart(): boolean {
    return this.at === RECORD_START;
  }

  /** Whether the bytes fed so far end inside a quoted field (a quote never closed, if this is the end of the file). */
  get inQuotes(): boolean {
    return this.at === QUOTED;
  }

  feed(buf: Buffer): void {
    const at = this.at;
    if ((at === RECORD_START || at === UNQUOTED || at === FIELD_START) && buf.indexOf(QUOTE) < 0) this.countLines(buf);
    else this.walk(buf);
  }

  /** A chunk with no quote: each line with anything on it but a CR is one record (a record already begun continues on the first). */
  private countLines(buf: Buffer): void {
    let start = 0;
    for (;;) {
      const lf = buf.indexOf(LF, start);
      if (lf < 0) break;
      const len = lf - start;
      if (this.at === RECORD_START && (len > 1 || (len === 1 && buf[start] !== CR))) this.records++;
      this.at = RECORD_START;
      start = lf + 1;
    }
    // The chunk ends inside a line: a record begins or goes on (a quote may open a field after a delimiter).
    const len = buf.length - start;
    if (len === 0) return;
    if (this.at === RECORD_START) {
      if (len === 1 && buf[start] === CR) {
        this.at = CR_AT_START;
        return;
      }
      this.records++;
    }
    this.at = buf[buf.length - 1] === this.delimiter ? FIELD_START : UNQUOTED;
  }

  private walk(buf: Buffer): void {
    const d = this.delimiter;
    let at: number = this.at;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      switch (at) {
        case RECORD_START:
          if (c === LF) break;
          if (c === CR) {
            at = CR_AT_START;
            break;
          }
          this.records++;
          at = c === QUOTE ? QUOTED : c === d ? FIELD_START : UNQUOTED;
          break;
        case CR_AT_START:
          if (c === LF) {
            at = RECORD_START;
            break;
          }
          // The CR began an unquoted field.
          this.records++;
          at = c === d ? FIELD_START : UNQUOTED;
          break;
        case FIELD_START:
          at = c === QUOTE ? QUOTED : c === LF ? RECORD_START : c === d ? FIELD_START : UNQUOTED;
          break;
        case UNQUOTED:
          if (c === LF) at = RECORD_START;
          else if (c === d) at = FIELD_START;
          break;
        case QUOTED:
          if (c === QUOTE) at = QUOTE_IN_QUOTED;
          break;
        case QUOTE_IN_QUOTED:
          if (c === QUOTE) at = QUOTED;
          else if (c === d) at = FIELD_START;
          else if (c === LF) at = RECORD_START;
          else if (c === CR) at = CR_AFTER_QUOTE;
          else {
            this.malformed = true;
            this.at = at;
            return;
          }
          break;
        case CR_AFTER_QUOTE:
          // CR LF ends the record; a CR alone ended it already, and this byte starts the next.
          at = RECORD_START;
          if (c !== LF) i--;
          break;
      }
    }
    this.at = at;
  }
}
