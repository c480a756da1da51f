import type { NumberColumn } from "../data/Dataset.js";
import { DwError } from "../errors/DwError.js";
import { PADDED_NUMBER_TEXT } from "../data/numberText.js";
import { meanAndStd } from "../data/statistics.js";

/**
 * Reading and summarising numbers, shared by the fitted preprocessing's steps (src/models/preprocessing.ts,
 * src/models/interactionStep.ts), so that every numeric step imputes, scales and reports a bad
 * value the same way.
 */

/** null, undefined, "" and NaN are missing values, imputed as in training. */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/**
 * The safe cast to a number: a JSON number as it is, text holding a decimal number by dw's one
 * rule (spaces around allowed, as Python's float() reads it: src/data/numberText.ts), anything else
 * NaN.
 */
export function castNumber(v: unknown): number {
  return typeof v === "number" ? v : typeof v === "string" && PADDED_NUMBER_TEXT.test(v) ? Number(v) : NaN;
}

/**
 * A raw value as a number, NaN when missing (null, absent, "" or NaN). The safe casts: a finite
 * JSON number, or text holding a decimal number. Anything else — true/false, text that is not a
 * decimal number (" ", "0x10"), a list or an object, a number too large for a double — is an
 * error naming the row and column, never the value.
 */
export function readNumber(v: unknown, row: number, column: string): number {
  if (isMissing(v)) return NaN;
  const x = castNumber(v);
  if (!Number.isFinite(x)) {
    const got =
      typeof v === "string"
        ? PADDED_NUMBER_TEXT.test(v)
          ? "a number too large for a double"
          : "text that is not a decimal number"
        : typeof v === "number"
          ? "a non-finite number"
          : typeof v === "boolean"
            ? "true/false (a boolean is not cast to a number)"
            : `a ${Array.isArray(v) ? "list" : typeof v}`;
    throw new DwError("INVALID_INPUT", `Row ${row}, column '${column}': expected a finite number (double), got ${got}.`, {
      hint: "Give a finite decimal number (3.5, -1e-3), or null (an empty cell) to have the value imputed as in training.",
      details: { row, column },
    });
  }
  return x;
}

/**
 * A raw value as a category label, undefined when missing: text as it is, a finite number or a
 * boolean written as text (a JSON 3 matches the category "3"). A list or an object is an error
 * naming the row and column.
 */
export function readCategory(v: unknown, row: number, column: string): string | undefined {
  if (isMissing(v)) return undefined;
  if (typeof v === "string") return v;
  if ((typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean") return String(v);
  throw new DwError(
    "INVALID_INPUT",
    `Row ${row}, column '${column}': expected text (a category), got ${typeof v === "number" ? "a non-finite number" : `a ${Array.isArray(v) ? "list" : typeof v}`}.`,
    {
      hint: "Give the category as text (a finite number or true/false is matched as its text), or null to have it imputed as in training.",
      details: { row, column },
    },
  );
}

/**
 * A numeric column's values on the training rows, without the missing ones, in row order; none at
 * all is an error. One tight pass into a typed array (the rows are shuffled, so each read is a
 * cache miss on a large column: a second pass to count first, or a number[] grown by push, cost
 * as much again).
 */
export function trainingNumbers(col: NumberColumn, trainRows: ArrayLike<number>): Float64Array {
  const values = col.values;
  const out = new Float64Array(trainRows.length);
  let n = 0;
  for (let r = 0; r < trainRows.length; r++) {
    const v = values[trainRows[r]];
    if (v === v) out[n++] = v;
  }
  if (n === 0) throw allNull(col.name);
  return n === out.length ? out : out.slice(0, n);
}

/**
 * trainingNumbers' values in dataset order instead of the rows' order, for what does not depend
 * on order (a median): when the rows are most of the column (a training's shuffled rows), the
 * column is read as a stream through a mask of the rows instead of by a cache miss per row.
 * Rows listed twice, or few of the column's, are read as trainingNumbers reads them.
 */
export function trainingNumbersAnyOrder(col: NumberColumn, trainRows: ArrayLike<number>): Float64Array {
  const values = col.values;
  if (trainRows.length * 4 < values.length) return trainingNumbers(col, trainRows);
  const mask = new Uint8Array(values.length);
  for (let r = 0; r < trainRows.length; r++) {
    if (mask[trainRows[r]]) return trainingNumbers(col, trainRows);
    mask[trainRows[r]] = 1;
  }
  const out = new Float64Array(trainRows.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (mask[i] && v === v) out[n++] = v;
  }
  if (n === 0) throw allNull(col.name);
  return n === out.length ? out : out.slice(0, n);
}

/** Mean and population standard deviation (ddof 0, as scikit-learn's StandardScaler) to standardise by; a constant column keeps std 1. */
export function standardization(xs: ArrayLike<number>): { mean: number; std: number } {
  const { mean, std } = meanAndStd(xs, 0);
  return { mean, std: std > 0 ? std : 1 };
}

export function allNull(column: string): DwError {
  return new DwError("DATA_ERROR", `Feature '${column}' has no values in the training rows (all null).`, {
    hint: "Drop it from --features.",
    details: { field: "features", column },
  });
}
