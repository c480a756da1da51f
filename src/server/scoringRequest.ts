import type { ColumnarInput } from "../models/scoreModel.js";
import { DwError } from "../errors/DwError.js";

const INPUT_KEYS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

/**
 * Reads an MLflow scoring request body (already JSON-parsed) into columns and rows. Exactly one
 * of the MLflow input fields must be present, as `mlflow models serve` requires.
 */
export function parseScoringRequest(body: unknown): ColumnarInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bad(`The input must be a JSON object with exactly one of the fields ${INPUT_KEYS.join(", ")}.`);
  }
  const present = INPUT_KEYS.filter((k) => k in body);
  const unknown = Object.keys(body).filter((k) => !(INPUT_KEYS as readonly string[]).includes(k) && k !== "params");
  if (present.length !== 1 || unknown.length) {
    const found = present.length ? `found ${present.join(" and ")}` : "found none";
    const extra = unknown.length ? ` and unknown field(s) ${unknown.map((k) => `'${k}'`).join(", ")}` : "";
    throw bad(`The input must be a JSON object with exactly one of the fields ${INPUT_KEYS.join(", ")}; ${found}${extra}.`);
  }
  const key = present[0];
  const value = (body as Record<string, unknown>)[key];
  if (key === "dataframe_split") return fromSplit(value);
  if (key === "dataframe_records") return fromRecords(value);
  throw bad(`'${key}' input is not supported by this server yet: send dataframe_split or dataframe_records.`);
}

function fromSplit(v: unknown): ColumnarInput {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad("dataframe_split must be an object {columns, data, index?}.");
  const { columns, data } = v as { columns?: unknown; data?: unknown };
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string")) throw bad("dataframe_split.columns must be a list of column names.");
  if (!Array.isArray(data)) throw bad("dataframe_split.data must be a list of rows (lists of values).");
  data.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw bad(`dataframe_split.data[${i}] must be a list of ${columns.length} values, one per column.`);
    }
  });
  return { columns: columns as string[], rows: data as unknown[][] };
}

function fromRecords(v: unknown): ColumnarInput {
  if (!Array.isArray(v)) throw bad("dataframe_records must be a list of objects, one per row.");
  const columns: string[] = [];
  const seen = new Set<string>();
  v.forEach((rec, i) => {
    if (typeof rec !== "object" || rec === null || Array.isArray(rec)) throw bad(`dataframe_records[${i}] must be an object mapping column names to values.`);
    for (const k of Object.keys(rec)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  });
  const rows = v.map((rec: Record<string, unknown>) => columns.map((c) => rec[c]));
  return { columns, rows };
}

function bad(message: string): DwError {
  return new DwError("INVALID_INPUT", message);
}
