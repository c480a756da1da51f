import { DwError } from "../../errors/DwError.js";
import type { ScoringInput } from "../../models/scoreModel.js";
import type { InputTensor } from "./parseInferRequest.js";

/**
 * The rows a model scores, from a request's input tensors, in one of two forms:
 * - one tensor per input column, named after it, of shape [n] or [n, 1] (every such tensor the
 *   same n); tensors named after no input are ignored (and reported by their place, `inputs[4]`,
 *   in the Dw-Ignored-Columns header); an input without a tensor is a missing column (scoreModel says which);
 * - one tensor, named after no input, of shape [n, k] whose k columns are the model's inputs in
 *   signature order (or [n] for a one-input model); one datatype for all, so a model with text
 *   and number inputs takes BYTES, whose text the signature casts.
 * The form is the first when any tensor is named after an input. No values are copied.
 */
export function tensorScoringInput(tensors: readonly InputTensor[], inputNames: readonly string[], maxRows: number): ScoringInput {
  if (tensors.length === 0) throw bad("inputs is empty: send one tensor per model input, or one 2-D tensor of all of them.");
  const wanted = new Set(inputNames);
  const columns = tensors.filter((t) => wanted.has(t.name));
  if (columns.length) return byColumn(tensors, columns, maxRows);
  const m = inputNames.length;
  const expected = `the model has ${m} input${m === 1 ? "" : "s"} (${inputNames.join(", ")})`;
  if (tensors.length > 1) {
    throw bad(
      `None of the ${tensors.length} input tensors is named after a model input, and ${expected}: name each tensor after its input, or send one 2-D tensor [n, ${m}].`,
    );
  }
  const t = tensors[0];
  const [n, k] = t.shape;
  const matrix = t.shape.length === 2 ? k === m : t.shape.length === 1 && m === 1;
  if (!matrix) {
    throw bad(`${t.where} is named after no model input, so it must be a 2-D tensor [n, ${m}] whose columns are the inputs in order; ${expected}.`);
  }
  checkRows(n, maxRows);
  const at = new Map(inputNames.map((name, j) => [name, j]));
  return {
    rows: n,
    has: (column) => at.has(column),
    value: (column) => {
      const j = at.get(column)!;
      return (row) => t.values[row * m + j];
    },
    where: (row) => `Row ${row}`,
    columnNames: () => inputNames,
  };
}

function byColumn(tensors: readonly InputTensor[], columns: readonly InputTensor[], maxRows: number): ScoringInput {
  const first = columns[0];
  const n = first.shape[0];
  for (const t of columns) {
    if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1))) {
      throw bad(`${t.where} is named after a model input, so it is one column: its shape must be [n] or [n, 1].`);
    }
    if (t.shape[0] !== n) throw bad(`${t.where} has another number of rows than ${first.where}; every input column must have the same number of rows.`);
  }
  checkRows(n, maxRows);
  const byName = new Map(columns.map((t) => [t.name, t]));
  const places = new Map(tensors.map((t) => [t.name, t.where]));
  return {
    rows: n,
    has: (column) => byName.has(column),
    value: (column) => {
      const values = byName.get(column)!.values;
      return (row) => values[row];
    },
    where: (row) => `Row ${row}`,
    columnNames: () => tensors.map((t) => t.name),
    columnPlace: (column) => places.get(column) ?? "inputs",
  };
}

function checkRows(rows: number, maxRows: number): void {
  if (rows > maxRows) throw bad(`Too many rows: at most ${maxRows} per request. Split the request.`);
}

function bad(message: string): DwError {
  return new DwError("INVALID_INPUT", message);
}
