const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Where the counter is: at a record's start, in an unquoted field, in a quoted one, or just past a quote inside one. */
const enum At {
  RecordStart,
  /** A CR at a record's start: with an LF after it, the line is empty. */
  CrAtStart,
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
  /** A CR after a closing quote: it ends the record (an LF after it belongs to it). */
  CrAfterQuote,
}

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
  private at: At = At.RecordStart;

  constructor(private readonly delimiter: number) {}

  /** Whether the bytes fed so far end where a record may start: after a complete line. */
  get atRecordStart(): boolean {
    return this.at === At.RecordStart;
  }

  /** Whether the bytes fed so far end inside a quoted field (a quote never closed, if this is the end of the file). */
  get inQuotes(): boolean {
    return this.at === At.Quoted;
  }

  feed(buf: Buffer): void {
    if ((this.at === At.RecordStart || this.at === At.Unquoted) && buf.indexOf(QUOTE) < 0) this.countLines(buf);
    else this.walk(buf);
  }

  /** A chunk with no quote: each line with anything on it but a CR is one record (a record already begun continues on the first). */
  private countLines(buf: Buffer): void {
    let start = 0;
    for (;;) {
      const lf = buf.indexOf(LF, start);
      const end = lf < 0 ? buf.length : lf;
      if (this.at === At.RecordStart) {
        const len = end - start;
        if (lf < 0) {
          if (len === 0) return;
          if (len === 1 && buf[start] === CR) {
            this.at = At.CrAtStart;
            return;
          }
          this.records++;
          this.at = At.Unquoted;
          return;
        }
        if (len > 1 || (len === 1 && buf[start] !== CR)) this.records++;
      } else if (lf < 0) return;
      this.at = At.RecordStart;
      start = lf + 1;
    }
  }

  private walk(buf: Buffer): void {
    const d = this.delimiter;
    let at = this.at;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      switch (at) {
        case At.RecordStart:
          if (c === LF) break;
          if (c === CR) {
            at = At.CrAtStart;
            break;
          }
          this.records++;
          at = c === QUOTE ? At.Quoted : c === d ? At.FieldStart : At.Unquoted;
          break;
        case At.CrAtStart:
          if (c === LF) {
            at = At.RecordStart;
            break;
          }
          // The CR began an unquoted field.
          this.records++;
          at = c === d ? At.FieldStart : At.Unquoted;
          break;
        case At.FieldStart:
          at = c === QUOTE ? At.Quoted : c === LF ? At.RecordStart : c === d ? At.FieldStart : At.Unquoted;
          break;
        case At.Unquoted:
          if (c === LF) at = At.RecordStart;
          else if (c === d) at = At.FieldStart;
          break;
        case At.Quoted:
          if (c === QUOTE) at = At.QuoteInQuoted;
          break;
        case At.QuoteInQuoted:
          if (c === QUOTE) at = At.Quoted;
          else if (c === d) at = At.FieldStart;
          else if (c === LF) at = At.RecordStart;
          else if (c === CR) at = At.CrAfterQuote;
          else {
            this.malformed = true;
            this.at = at;
            return;
          }
          break;
        case At.CrAfterQuote:
          // CR LF ends the record; a CR alone ended it already, and this byte starts the next.
          at = At.RecordStart;
          if (c !== LF) i--;
          break;
      }
    }
    this.at = at;
  }
}
