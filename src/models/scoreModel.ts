import { ModelJson } from "./ModelJson.js";
import { predictLinear } from "./linearRegression.js";
import { DwError } from "../errors/DwError.js";

/** Input rows by column name, as a scoring request carries them. */
export type ColumnarInput = { columns: string[]; rows: unknown[][] };

/** Parses and validates `model.json` text. Data only: nothing in it is executed. */
export function parseModelJson(text: string, where: string): ModelJson {
  const parsed = ModelJson.safeParse(JSON.parse(text));
  if (!parsed.success) throw new DwError("DATA_ERROR", `${where} is not a valid dw.model/1 model: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/**
 * Scores rows with a model, enforcing its input signature as MLflow does: every signature column
 * must be present (extra columns are ignored), values must be numbers (or numeric strings).
 */
export function scoreModel(model: ModelJson, input: ColumnarInput): number[] {
  const inputs = model.signature.inputs;
  const positions = inputs.map((f) => input.columns.indexOf(f.name));
  const missing = inputs.filter((_f, i) => positions[i] < 0).map((f) => f.name);
  if (missing.length) {
    throw new DwError("INVALID_INPUT", `Missing column(s) ${missing.map((m) => `'${m}'`).join(", ")}: the model expects ${inputs.map((f) => f.name).join(", ")}.`, {
      details: { missing, expected: inputs.map((f) => f.name) },
    });
  }
  const n = input.rows.length;
  const p = inputs.length;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = input.rows[i];
    if (!Array.isArray(row)) throw new DwError("INVALID_INPUT", `Row ${i} is not a list of values.`, { details: { row: i } });
    for (let j = 0; j < p; j++) {
      const v = row[positions[j]];
      const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
      if (!Number.isFinite(x)) {
        throw new DwError("INVALID_INPUT", `Row ${i}, column '${inputs[j].name}': expected a finite number (double), got ${describe(v)}.`, {
          details: { row: i, column: inputs[j].name },
        });
      }
      X[i * p + j] = x;
    }
  }
  return Array.from(predictLinear(model.params, X, n, p));
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "a missing value";
  // The value itself is not echoed: error messages never carry the request's data.
  if (typeof v === "string") return "text that is not a number";
  return `a ${Array.isArray(v) ? "list" : typeof v}`;
}
