import { DwError } from "../errors/DwError.js";
import type { Column, Dataset, NumberColumn } from "../data/Dataset.js";
import { chooseDefaultFeatures } from "./chooseFeatures.js";
import { chooseTask } from "./chooseTask.js";
import type { Task } from "./estimators.js";

/**
 * What turns a dataset into training data, shared by every tool that fits or sizes a model (through
 * src/training/prepareTrainingData.ts for train_model and select_model): the default features,
 * the task a target implies and the target as numbers (rowAccessor reads a set of its rows).
 */

/** Every column but the target that has values and is numeric, boolean, a date, or text with few enough values to one-hot encode (chooseDefaultFeatures says why the others are left out). */
export function defaultFeatures(ds: Dataset, target: string): string[] {
  return chooseDefaultFeatures(ds, target).used;
}

/**
 * The task when none is asked, the same in every tool: classification for a text, boolean or date
 * target, and for a numeric one holding exactly two values (0/1 flags); regression for any other
 * numeric target (counts and ratings too: pass task "classification" to treat them as classes).
 * chooseTask says which rule applied.
 */
export function inferTask(target: Column): Task {
  return chooseTask(target).value;
}

/**
 * A text column that is almost all numbers is a numeric column with bad values: say where, rather
 * than one-hot encode it. A number column holding ±Infinity (a CSV cell `1e999`), or a number
 * so large that the fit's statistics overflow (see LARGEST), cannot be imputed, scaled or split
 * on: say where, rather than fail in the fit or commit a model that cannot be read.
 */
export function checkFeature(col: Column, source: string): Column {
  if (col.type === "number") {
    const at = firstUnusable(col.values, LARGEST);
    if (at >= 0) throw unusable(col, "features", at, source);
  }
  if (col.type === "string" && col.firstNonNumeric && (col.numericShare ?? 0) >= 0.9) {
    throw new DwError(
      "DATA_ERROR",
      `Column '${col.name}' (features) is numeric except for some values: ${source}, line ${col.firstNonNumeric.line} holds '${col.firstNonNumeric.value}'.`,
      {
        hint: "Fix or blank the values that are not numbers (blanks are imputed), or drop the column from --features.",
        details: { field: "features", column: col.name, line: col.firstNonNumeric.line },
      },
    );
  }
  return col;
}

/** The target as numbers: values for regression, class indices for classification; `keep` lists the rows that have one. */
export function readTarget(col: Column, task: Task, source: string): { y: Float64Array; keep: number[]; classes?: (string | number | boolean)[] } {
  const n = col.values.length;
  const y = new Float64Array(n);
  const keep: number[] = [];
  if (task === "regression") {
    if (col.type !== "number") {
      const where = col.type === "string" && col.firstNonNumeric ? ` (${source}, line ${col.firstNonNumeric.line}: '${col.firstNonNumeric.value}')` : "";
      throw new DwError("DATA_ERROR", `Target '${col.name}' holds ${col.type} values, not numbers${where}: a regression needs a numeric target.`, {
        hint: "Choose a numeric target, or pass --task classification.",
        details: { field: "target", column: col.name },
      });
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = col.values[i];
      if (Number.isNaN(v)) continue;
      y[i] = v;
      keep.push(i);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    // A value to regress on must not overflow the fit (see LARGEST); the extremes found above say whether one does.
    if (lo < -LARGEST || hi > LARGEST) throw unusable(col, "target", firstUnusable(col.values, LARGEST), source);
    if (keep.length && lo === hi)
      throw new DwError("DATA_ERROR", `Target '${col.name}' is constant (${lo}): there is nothing to learn.`, {
        details: { field: "target", column: col.name },
      });
    return { y, keep };
  }
  // A class label only has to be a number JSON can write.
  if (col.type === "number") {
    const at = firstUnusable(col.values, Number.MAX_VALUE);
    if (at >= 0) throw unusable(col, "target", at, source);
  }
  const labelOf = (i: number): string | number | boolean | null => {
    if (col.type === "number") return Number.isNaN(col.values[i]) ? null : col.values[i];
    const v = col.values[i];
    return v === null ? null : col.type === "boolean" ? v === "true" : v;
  };
  const distinct = new Set<string | number | boolean>();
  for (let i = 0; i < n; i++) {
    const l = labelOf(i);
    if (l !== null) distinct.add(l);
  }
  const classes = [...distinct].sort((a, b) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  if (classes.length < 2) {
    throw new DwError(
      "DATA_ERROR",
      `Target '${col.name}' has ${classes.length === 0 ? "no values" : `one class only (${String(classes[0])})`}: a classifier needs at least two.`,
      { details: { field: "target", column: col.name } },
    );
  }
  if (classes.length > 1000)
    throw new DwError("DATA_ERROR", `Target '${col.name}' has ${classes.length} distinct values: too many classes. Is it a regression target?`, {
      hint: "Pass --task regression.",
      details: { field: "target" },
    });
  const index = new Map(classes.map((c, k) => [c, k]));
  for (let i = 0; i < n; i++) {
    const l = labelOf(i);
    if (l === null) continue;
    y[i] = index.get(l)!;
    keep.push(i);
  }
  return { y, keep, classes };
}

/**
 * The largest magnitude a value to train on may have. Past it the fit's own statistics overflow a
 * double and come out NaN or ±Infinity, which model.json and the run's snapshot cannot hold: a
 * median or mean of ±1.7e308 is ±∞ halfway, a standardisation squares the values (1e155² is ∞).
 * At 1e100 a square summed over 10^9 rows stays finite; no measured quantity comes near (a value
 * that large is a sentinel or a unit error).
 */
const LARGEST = 1e100;

/** The first row holding a number beyond ±limit (±Infinity always is), or -1; NaN is missing (imputed or dropped). */
function firstUnusable(values: Float64Array, limit: number): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > limit || v < -limit) return i;
  }
  return -1;
}

/** A value a fit cannot use (model.json cannot hold what it would make of it): which column, which row, what to do. */
function unusable(col: NumberColumn, field: "features" | "target", row: number, source: string): DwError {
  const v = col.values[row];
  const infinite = v === Infinity || v === -Infinity;
  const shown = infinite ? `${v > 0 ? "+" : "-"}Infinity` : String(v);
  const why = infinite ? " (a value past a double's range, such as 1e999)" : ": beyond ±1e100, where the fit's sums overflow a double";
  return new DwError("DATA_ERROR", `Column '${col.name}' (${field}) holds ${shown} in data row ${row + 1} of ${source}${why}.`, {
    hint:
      field === "target"
        ? "Fix or drop the rows whose target is infinite or that large (or rescale it) and load the data again, or choose another target."
        : "Fix, blank or rescale those values (blanks are imputed) and load the data again, or drop the column from --features.",
    details: { field, column: col.name, row: row + 1 },
  });
}
