import { getColumn, type Dataset } from "../data/Dataset.js";
import type { ValueAccessor } from "./ValueAccessor.js";

/**
 * A dataset's values for some of its rows, by column name, as the preprocessing reads them: entry
 * `i` is dataset row `rows[i]`. Fitting (training/fitOnRows.ts), evaluating and explaining read a
 * dataset through it. `permute` reads one column through a shuffled order of those entries, so
 * that column's link to the others is broken (permutation importance). `numbers` offers a number
 * column's Float64Array with the rows, which transform reads without a call per value.
 *
 * @example
 * const get = rowAccessor(ds, Int32Array.from([4, 0, 2]));
 * get("age")(0); // the age of dataset row 4
 */
export function rowAccessor(
  ds: Dataset,
  rows: ArrayLike<number>,
  permute?: { column: string; order: ArrayLike<number> },
): ValueAccessor & { numbers: (column: string) => { values: Float64Array; rows: ArrayLike<number> } | undefined } {
  const get: ValueAccessor = (name) => {
    const values = getColumn(ds, name)!.values;
    if (permute && permute.column === name) {
      const order = permute.order;
      return (i) => values[rows[order[i]]];
    }
    return (i) => values[rows[i]];
  };
  const numbers = (name: string) => {
    const col = getColumn(ds, name);
    return col?.type === "number" && permute?.column !== name ? { values: col.values, rows } : undefined;
  };
  return Object.assign(get, { numbers });
}
