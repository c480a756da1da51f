import type { Column, Dataset } from "./Dataset.js";
import { DwError } from "../errors/DwError.js";
import { DATE, Interner, isoTimestamp } from "./inferTypes.js";

/**
 * One column from JavaScript values (JSON records, kernel arrays). JSON has its own types, so
 * they are taken as given: numbers (and bigints) make a number column, booleans a boolean one,
 * Date objects and strings that are all ISO dates or timestamps a date column. A string is text
 * even if it spells a number ("12"): the producer chose text. Missing is null, undefined or NaN.
 * Mixed numbers and strings make a text column that says where the first non-number is; nested
 * objects and arrays are kept as their JSON text.
 *
 * `where(i)` names the place of value i for messages: "line 7", "record 3".
 */
export function columnFromValues(name: string, n: number, get: (i: number) => unknown, where: (i: number) => { line: number }): Column {
  let nulls = 0;
  let numbers = 0;
  let bools = 0;
  let dates = 0;
  let dateStrings = 0;
  let _others = 0;
  let firstNonNumeric: { value: string; line: number } | undefined;
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      nulls++;
      continue;
    }
    if (typeof v === "number" || typeof v === "bigint") {
      numbers++;
      continue;
    }
    if (!firstNonNumeric) firstNonNumeric = { value: textOf(v), line: where(i).line };
    if (typeof v === "boolean") bools++;
    else if (isDate(v)) dates++;
    else if (typeof v === "string" && DATE.test(v)) dateStrings++;
    else _others++;
  }
  const present = n - nulls;
  if (present > 0 && numbers === present) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = get(i);
      values[i] = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : NaN;
    }
    return { name, type: "number", values, nulls };
  }
  const interner = new Interner();
  const values: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    values[i] = v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : interner.intern(textOf(v));
  }
  const type = present === 0 ? "string" : bools === present ? "boolean" : dates + dateStrings === present ? "date" : "string";
  if (type === "string" && numbers > 0) return { name, type, values, nulls, firstNonNumeric, numericShare: numbers / present };
  return { name, type, values, nulls, numericShare: present ? numbers / present : 0 };
}

function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (isDate(v)) {
    const ms = v.getTime();
    return Number.isNaN(ms) ? "Invalid Date" : isoTimestamp(ms, true);
  }
  return JSON.stringify(v) ?? String(v);
}

/** A Date, also one made in another realm (a kernel cell runs in its own context). */
function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === "[object Date]";
}

/**
 * A dataset from an array of records: columns are the union of the records' keys in the order
 * first seen; a record without a key has null there. Every element must be a plain object.
 */
export function datasetFromRecords(records: readonly unknown[], where: (i: number) => { line: number }, source: string, unit = "record"): Dataset {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      const at = where(i).line;
      throw new DwError(
        "DATA_ERROR",
        `${source}, ${unit} ${at}: expected an object like {"column": value}, found ${r === null ? "null" : Array.isArray(r) ? "an array" : typeof r}.`,
        {
          hint: "Each record must be an object whose keys are column names.",
          details: { file: source, line: at },
        },
      );
    }
    for (const k in r as Record<string, unknown>) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  if (records.length === 0) throw new DwError("DATA_ERROR", `${source} holds no records.`, { hint: "Give at least one record.", details: { file: source } });
  if (names.length === 0)
    throw new DwError("DATA_ERROR", `${source}: the records have no fields.`, { hint: "Give each record at least one key.", details: { file: source } });
  const columns = names.map((name) => columnFromValues(name, records.length, (i) => (records[i] as Record<string, unknown>)[name], where));
  return { columns, rows: records.length };
}

/** A dataset from `{column: values}`: every column must be an array (or typed array) of the same length. */
export function datasetFromColumnar(obj: Record<string, unknown>, source: string): Dataset {
  const names = Object.keys(obj);
  if (names.length === 0)
    throw new DwError("INVALID_INPUT", `${source} has no columns.`, { hint: "Pass {column: [values…]} with at least one column.", details: { field: "data" } });
  let rows = -1;
  let first = "";
  const columns: Column[] = [];
  for (const name of names) {
    const arr = obj[name];
    if (!Array.isArray(arr) && !ArrayBuffer.isView(arr)) {
      throw new DwError("INVALID_INPUT", `${source}: column '${name}' is not an array.`, {
        hint: "A columnar object maps each column name to an array of its values.",
        details: { field: "data", column: name },
      });
    }
    const values = arr as ArrayLike<unknown>;
    if (rows < 0) {
      rows = values.length;
      first = name;
    } else if (values.length !== rows) {
      throw new DwError("INVALID_INPUT", `${source}: column '${name}' has ${values.length} values but '${first}' has ${rows}.`, {
        hint: "Every column of a columnar object must have the same length.",
        details: { field: "data", column: name, expected: rows, found: values.length },
      });
    }
    if (values instanceof Float64Array) {
      let nulls = 0;
      for (const v of values) if (Number.isNaN(v)) nulls++;
      columns.push({ name, type: "number", values: Float64Array.from(values), nulls });
    } else {
      columns.push(
        columnFromValues(
          name,
          values.length,
          (i) => values[i],
          (i) => ({ line: i + 1 }),
        ),
      );
    }
  }
  if (rows === 0) throw new DwError("INVALID_INPUT", `${source} has no rows.`, { hint: "Pass at least one row.", details: { field: "data" } });
  return { columns, rows };
}
