import type { ScoringInput } from "../models/scoreModel.js";
import { DwError } from "../errors/DwError.js";

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads a `text/csv` (or `application/csv`) scoring body: a header row of column names, then one
 * row per line, as `pandas.DataFrame.to_csv()` writes it (RFC 4180 quoting, `""` for a quote
 * inside a quoted field, LF or CRLF line ends; blank lines are skipped, as pandas skips them).
 * Cells stay text: the model's signature casts them as it casts JSON text (a double column reads
 * dw's number rule, src/data/numberText.ts; an empty cell is a missing value).
 *
 * One pass over the body, then each cell is decoded only when the model asks for its column: the
 * parser keeps one integer per cell (where it starts; negative when it is quoted), not a
 * rows × columns copy of the text. A row with a different number of fields than the header, a
 * quote that is not closed, text after a closing quote or a quote inside an unquoted field is a
 * 400 naming the line (1 is the header), never the text.
 */
export function parseCsvScoringRequest(text: string, maxRows: number): ScoringInput {
  const n = text.length;
  let starts = new Int32Array(1024);
  let cellCount = 0;
  const rowLines: number[] = [];
  let header: string[] | null = null;
  let pos = 0;
  let line = 1;

  const push = (start: number) => {
    if (cellCount === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[cellCount++] = start;
  };

  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === LF || c === CR) {
      pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const recordLine = line;
    const firstCell = cellCount;
    for (;;) {
      if (text.charCodeAt(pos) === QUOTE) {
        push(~(pos + 1));
        pos++;
        for (;;) {
          if (pos >= n) throw bad(`CSV line ${recordLine}: a quoted field is not closed.`);
          const q = text.charCodeAt(pos);
          if (q === QUOTE) {
            if (text.charCodeAt(pos + 1) === QUOTE) pos += 2;
            else break;
          } else {
            if (q === LF || (q === CR && text.charCodeAt(pos + 1) !== LF)) line++;
            pos++;
          }
        }
        pos++; // the closing quote
        const after = text.charCodeAt(pos);
        if (pos < n && after !== COMMA && after !== LF && after !== CR) {
          throw bad(`CSV line ${line}: text follows a closing quote; quote the whole field.`);
        }
      } else {
        push(pos);
        while (pos < n) {
          const u = text.charCodeAt(pos);
          if (u === COMMA || u === LF || u === CR) break;
          if (u === QUOTE) throw bad(`CSV line ${line}: a quote inside an unquoted field; quote the field and double the quote.`);
          pos++;
        }
      }
      if (pos < n && text.charCodeAt(pos) === COMMA) {
        pos++;
        continue;
      }
      break; // end of line or of body; the loop above consumes the line end
    }
    const fields = cellCount - firstCell;
    if (header === null) {
      header = [];
      for (let k = 0; k < fields; k++) header.push(cellText(text, starts[k]));
      cellCount = 0;
    } else {
      if (fields !== header.length) {
        throw bad(`CSV line ${recordLine} has ${fields} field${fields === 1 ? "" : "s"}; the header has ${header.length}.`);
      }
      if (rowLines.length >= maxRows) throw bad(`Too many rows: more than ${maxRows} per request. Split the request.`);
      rowLines.push(recordLine);
    }
  }
  if (header === null) throw bad("The CSV body is empty: send a header row of column names, then one row per line.");
  const positions = new Map<string, number>();
  header.forEach((name, i) => {
    if (positions.has(name)) throw bad(`CSV header column ${i + 1} repeats the name of column ${positions.get(name)! + 1}; each column must appear once.`);
    positions.set(name, i);
  });
  const width = header.length;
  const cells = starts;
  return {
    rows: rowLines.length,
    has: (column) => positions.has(column),
    columnNames: () => positions.keys(),
    columnPlace: (column) => `CSV header column ${positions.get(column)! + 1}`,
    value: (column) => {
      const at = positions.get(column)!;
      return (row) => cellText(text, cells[row * width + at]);
    },
    where: (row) => `CSV line ${rowLines[row]}`,
  };
}

/** A cell's text from where it starts (negative: a quoted cell, whose `""` are one quote). */
function cellText(text: string, start: number): string {
  if (start >= 0) {
    let end = start;
    for (;;) {
      const u = text.charCodeAt(end);
      if (Number.isNaN(u) || u === COMMA || u === LF || u === CR) break;
      end++;
    }
    return text.slice(start, end);
  }
  const from = ~start;
  let end = from;
  let doubled = false;
  for (;;) {
    if (text.charCodeAt(end) === QUOTE) {
      if (text.charCodeAt(end + 1) !== QUOTE) break;
      doubled = true;
      end += 2;
    } else end++;
  }
  const raw = text.slice(from, end);
  return doubled ? raw.replaceAll('""', '"') : raw;
}

function bad(message: string): DwError {
  return new DwError("INVALID_INPUT", message);
}
