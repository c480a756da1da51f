import type { ScoringInput } from "../models/scoreModel.js";
import { DwError } from "../errors/DwError.js";

const INPUT_KEYS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

/**
 * A parsed scoring request. `oneColumn` marks a list of bare values (`{"instances": [1, 2]}`):
 * those are rows only for a model with exactly one input, which `bindToModel` checks once the
 * model is known.
 */
export interface ParsedScoringRequest extends ScoringInput {
  oneColumn?: boolean;
}

/**
 * Reads an MLflow scoring request body (already JSON-parsed) into rows that the model reads by
 * column name. Exactly one of the MLflow input fields must be present, as `mlflow models serve`
 * requires; `params` may accompany it (dw models take no inference params, and MLflow ignores
 * params for a model without a params schema, so dw ignores them too, once it has checked they
 * are an object); any other field is a 400 (MLflow ignores it silently). The work is linear in the
 * body's size: records are not widened into a rows × (every key any record has) matrix; the model
 * asks for its own columns only. Messages name fields and positions, never a value or a key the
 * client sent.
 */
export function parseScoringRequest(body: unknown, maxRows: number): ParsedScoringRequest {
  if (!isObject(body)) {
    throw bad(`The input must be a JSON object with exactly one of the fields ${INPUT_KEYS.join(", ")}.`);
  }
  const present = INPUT_KEYS.filter((k) => Object.hasOwn(body, k));
  let unknown = 0;
  for (const k in body) if (Object.hasOwn(body, k) && !(INPUT_KEYS as readonly string[]).includes(k) && k !== "params") unknown++;
  if (present.length !== 1 || unknown) {
    const found = present.length ? `found ${present.join(" and ")}` : "found none";
    const extra = unknown ? ` and ${unknown} other field${unknown > 1 ? "s" : ""} (only params may accompany it)` : "";
    throw bad(`The input must be a JSON object with exactly one of the fields ${INPUT_KEYS.join(", ")}; ${found}${extra}.`);
  }
  if (Object.hasOwn(body, "params")) {
    const params = (body as Record<string, unknown>).params;
    if (params !== null && !isObject(params)) throw bad("params must be an object mapping parameter names to values.");
  }
  const key = present[0];
  const value = (body as Record<string, unknown>)[key];
  if (key === "dataframe_split") return fromSplit(value, maxRows);
  if (key === "dataframe_records") {
    if (!Array.isArray(value)) throw bad("dataframe_records must be a list of objects, one per row.");
    return fromRecords(key, value, maxRows);
  }
  return fromTensorStyle(key, value, maxRows);
}

/**
 * Checks a request against the model it is for: a list of bare values is one column, so the model
 * must have exactly one input; it is then that input.
 */
export function bindToModel(input: ParsedScoringRequest, inputNames: readonly string[]): ScoringInput {
  if (!input.oneColumn) return input;
  if (inputNames.length !== 1) {
    throw bad(
      `A list of bare values is one column, and this model has ${inputNames.length} inputs: send records ({"column": value, ...}), an object of columns, or dataframe_split.`,
    );
  }
  const only = inputNames[0];
  return { ...input, has: (column) => column === only };
}

function fromSplit(v: unknown, maxRows: number): ScoringInput {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad("dataframe_split must be an object {columns, data, index?}.");
  // pandas' split orient, which MLflow reads it with, refuses any other key.
  for (const k in v)
    if (Object.hasOwn(v, k) && k !== "columns" && k !== "data" && k !== "index") throw bad("dataframe_split has a field other than columns, data and index.");
  const columns = Object.hasOwn(v, "columns") ? (v as { columns: unknown }).columns : undefined;
  const data = Object.hasOwn(v, "data") ? (v as { data: unknown }).data : undefined;
  if (!Array.isArray(columns)) throw bad("dataframe_split.columns must be a list of column names.");
  const positions = new Map<string, number>();
  columns.forEach((c, i) => {
    if (typeof c !== "string") throw bad(`dataframe_split.columns[${i}] must be a column name (text).`);
    if (positions.has(c))
      throw bad(`dataframe_split.columns[${i}] repeats the name of dataframe_split.columns[${positions.get(c)}]; each column must appear once.`);
    positions.set(c, i);
  });
  if (!Array.isArray(data)) throw bad("dataframe_split.data must be a list of rows (lists of values).");
  checkRowCount(data.length, maxRows);
  for (let i = 0; i < data.length; i++) {
    const row: unknown = data[i];
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw bad(`dataframe_split.data[${i}] must be a list of ${columns.length} values, one per column.`);
    }
  }
  const rows = data as unknown[][];
  return {
    rows: rows.length,
    has: (column) => positions.has(column),
    value: (column) => {
      const at = positions.get(column)!;
      return (row) => rows[row][at];
    },
    where: (row) => `dataframe_split.data[${row}]`,
    columnNames: () => positions.keys(),
    columnPlace: (column) => `dataframe_split.columns[${positions.get(column)}]`,
  };
}

function fromRecords(key: string, records: unknown[], maxRows: number): ScoringInput {
  checkRowCount(records.length, maxRows);
  for (let i = 0; i < records.length; i++) {
    if (!isObject(records[i])) throw bad(`${key}[${i}] must be an object mapping column names to values.`);
  }
  const rows = records as Record<string, unknown>[];
  // Where each column first appears: the record and the key's position in it.
  let seen: Map<string, string> | undefined;
  const places = () => {
    if (!seen) {
      seen = new Map();
      for (let i = 0; i < rows.length; i++) {
        let j = 0;
        for (const k in rows[i]) {
          if (!Object.hasOwn(rows[i], k)) continue;
          j++;
          if (!seen.has(k)) seen.set(k, `${key}[${i}] key ${j}`);
        }
      }
    }
    return seen;
  };
  return {
    rows: rows.length,
    // A column is present when any record has it; a record without it has a missing value there.
    has: (column) => rows.some((r) => Object.hasOwn(r, column)),
    value: (column) => (row) => (Object.hasOwn(rows[row], column) ? rows[row][column] : undefined),
    where: (row) => `${key}[${row}]`,
    columnNames: () => places().keys(),
    columnPlace: (column) => places().get(column) ?? key,
  };
}

/**
 * `instances` and `inputs` (MLflow's TF-serving style) for a model with named columns: a list of
 * records, as dataframe_records; `inputs` also as an object of columns (`{"a": [1, 2]}`, or
 * `{"a": 1}` for one row); and a list of bare values as the one column of a one-input model.
 * Rows given by position (`[[1, 2, 3]]`) are refused: MLflow reads them as columns 0, 1, 2 and
 * fails on the model's named columns.
 */
function fromTensorStyle(key: "instances" | "inputs", v: unknown, maxRows: number): ParsedScoringRequest {
  if (key === "inputs" && isObject(v)) return fromColumns(v, maxRows);
  if (!Array.isArray(v)) throw bad(`${key} must be a list of records${key === "inputs" ? " or an object of columns" : ""}.`);
  if (v.length === 0 || isObject(v[0])) return fromRecords(key, v, maxRows);
  checkRowCount(v.length, maxRows);
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    if (Array.isArray(item)) {
      throw bad(
        `${key}[${i}] is a list: rows by position are not accepted for a model with named columns; send records ({"column": value, ...}) or dataframe_split.`,
      );
    }
    if (isObject(item)) throw bad(`${key}[${i}] is an object while ${key}[0] is not: send a list of records, or a list of values for a one-input model.`);
  }
  return {
    rows: v.length,
    oneColumn: true,
    has: () => true,
    value: () => (row) => v[row],
    where: (row) => `${key}[${row}]`,
  };
}

/** `inputs` as an object of columns: each a list of the same length, or all single values (one row). */
function fromColumns(v: Record<string, unknown>, maxRows: number): ScoringInput {
  const columns = new Map<string, unknown>();
  let lists = 0;
  let length = -1;
  let scalars = 0;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const col = v[k];
    if (Array.isArray(col)) {
      if (length >= 0 && col.length !== length) throw bad("The columns of inputs must all have the same number of values.");
      length = col.length;
      lists++;
    } else if (isObject(col)) {
      throw bad(`Column ${columns.size + 1} of inputs is an object: each column must be a list of values (or a single value for a one-row request).`);
    } else scalars++;
    columns.set(k, col);
  }
  const order = new Map([...columns.keys()].map((k, i) => [k, i + 1]));
  if (lists && scalars) throw bad("inputs mixes lists and single values: give every column as a list of the same length.");
  const rows = lists ? length : columns.size ? 1 : 0;
  checkRowCount(rows, maxRows);
  return {
    rows,
    has: (column) => columns.has(column),
    value: (column) => {
      const col = columns.get(column);
      return Array.isArray(col) ? (row) => col[row] : () => col;
    },
    where: (row) => `inputs row ${row}`,
    columnNames: () => columns.keys(),
    columnPlace: (column) => `inputs key ${order.get(column)}`,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkRowCount(rows: number, maxRows: number): void {
  if (rows > maxRows) throw bad(`Too many rows: ${rows}; at most ${maxRows} per request. Split the request.`);
}

function bad(message: string): DwError {
  return new DwError("INVALID_INPUT", message);
}
