import type { ScoringInput } from "../models/scoreModel.js";
import { DwError } from "../errors/DwError.js";

const INPUT_KEYS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

/**
 * Reads an MLflow scoring request body (already JSON-parsed) into rows that the model reads by
 * column name. Exactly one of the MLflow input fields must be present, as `mlflow models serve`
 * requires. The work is linear in the body's size: records are not widened into a rows × (every
 * key any record has) matrix; the model asks for its own columns only. Messages name fields and
 * positions, never a value or a key the client sent.
 */
export function parseScoringRequest(body: unknown, maxRows: number): ScoringInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
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
  const key = present[0];
  const value = (body as Record<string, unknown>)[key];
  if (key === "dataframe_split") return fromSplit(value, maxRows);
  if (key === "dataframe_records") return fromRecords(value, maxRows);
  throw bad(`'${key}' input is not supported by this server yet: send dataframe_split or dataframe_records.`);
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
  };
}

function fromRecords(v: unknown, maxRows: number): ScoringInput {
  if (!Array.isArray(v)) throw bad("dataframe_records must be a list of objects, one per row.");
  checkRowCount(v.length, maxRows);
  for (let i = 0; i < v.length; i++) {
    const rec: unknown = v[i];
    if (typeof rec !== "object" || rec === null || Array.isArray(rec)) throw bad(`dataframe_records[${i}] must be an object mapping column names to values.`);
  }
  const records = v as Record<string, unknown>[];
  return {
    rows: records.length,
    // A column is present when any record has it; a record without it has a missing value there.
    has: (column) => records.some((r) => Object.hasOwn(r, column)),
    value: (column) => (row) => (Object.hasOwn(records[row], column) ? records[row][column] : undefined),
    where: (row) => `dataframe_records[${row}]`,
  };
}

function checkRowCount(rows: number, maxRows: number): void {
  if (rows > maxRows) throw bad(`Too many rows: ${rows}; at most ${maxRows} per request. Split the request.`);
}

function bad(message: string): DwError {
  return new DwError("INVALID_INPUT", message);
}
