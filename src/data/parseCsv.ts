import { parse } from "csv-parse/sync";
import type { Column, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const NULLS = new Set(["", "NA", "N/A", "NaN", "null", "NULL", "nan"]);

/**
 * Parses CSV text into typed columns. The first row is the header. A column is a number column
 * when every non-missing value is a decimal number, boolean when every value is true/false, date
 * when every value is an ISO date or timestamp, else text. Rows with the wrong number of fields
 * are an error naming the line: none is dropped silently.
 */
export function parseCsv(text: string, source: string): Dataset {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw new DwError("DATA_ERROR", `${source}: the CSV could not be parsed: ${err.message}`, {
      hint: "Check the quoting on that line; fields holding commas or quotes must be quoted.",
      details: { file: source, line: err.lines },
    });
  }
  if (records.length === 0) throw new DwError("DATA_ERROR", `${source} is empty: expected a header row and data rows.`, { details: { file: source } });
  const header = records[0].map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (!h) throw new DwError("DATA_ERROR", `${source}: column ${i + 1} of the header has no name.`, { details: { file: source, line: 1, column: i + 1 } });
    if (seen.has(h)) throw new DwError("DATA_ERROR", `${source}: the header names column '${h}' twice.`, { details: { file: source, line: 1, column: h } });
    seen.add(h);
  });
  const rows = records.length - 1;
  for (let r = 1; r < records.length; r++) {
    if (records[r].length !== header.length) {
      throw new DwError("DATA_ERROR", `${source}, line ${r + 1}: expected ${header.length} fields (as in the header), found ${records[r].length}.`, {
        hint: "Fix or remove that row; dw does not drop malformed rows silently.",
        details: { file: source, line: r + 1, expected: header.length, found: records[r].length },
      });
    }
  }
  const columns: Column[] = header.map((name, j) => inferColumn(name, records, j));
  return { columns, rows };
}

function inferColumn(name: string, records: string[][], j: number): Column {
  let numeric = true;
  let bool = true;
  let date = true;
  let nulls = 0;
  let firstNonNumeric: { value: string; line: number } | undefined;
  let numbers = 0;
  for (let r = 1; r < records.length; r++) {
    const v = records[r][j].trim();
    if (NULLS.has(v)) {
      nulls++;
      continue;
    }
    if (NUMBER.test(v)) numbers++;
    else if (numeric) {
      numeric = false;
      firstNonNumeric = { value: v, line: r + 1 };
    }
    if (bool && !BOOLEAN.test(v)) bool = false;
    if (date && !DATE.test(v)) date = false;
  }
  const n = records.length - 1;
  if (numeric && nulls < n) {
    const values = new Float64Array(n);
    for (let r = 1; r < records.length; r++) {
      const v = records[r][j].trim();
      values[r - 1] = NULLS.has(v) ? NaN : Number(v);
    }
    return { name, type: "number", values, nulls };
  }
  const values: (string | null)[] = new Array(n);
  for (let r = 1; r < records.length; r++) {
    const v = records[r][j].trim();
    values[r - 1] = NULLS.has(v) ? null : bool && nulls < n ? v.toLowerCase() : records[r][j];
  }
  const type = nulls === n ? "string" : bool ? "boolean" : date ? "date" : "string";
  return { name, type, values, nulls, firstNonNumeric, numericShare: n > nulls ? numbers / (n - nulls) : 0 };
}
