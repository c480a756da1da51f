import type { NumericTarget } from "./fillTypedNumbers.js";
import { BLOCK_ROWS, type FillRows } from "./fitLinearInBlocks.js";

/** Bytes of the window of matrix rows one pass over the columns fills: a few passes a fit instead of a cache miss per value. */
const WINDOW_BYTES = 128 * 2 ** 20;

/**
 * A FillRows over the n × p matrix whose row i is dataset row `rows[i]` of the shared `columns`
 * put through each target's numeric step (transform's arithmetic: impute a missing value, then
 * subtract the mean and divide by the std), for fitLinearInBlocks. Reading row i's values at its
 * shuffled dataset position costs a cache miss per value (p per row, twice a fit); instead a
 * window of up to 128 MB of matrix rows is filled by one pass over the dataset rows in order, each
 * row written to its place if it falls in the window (the columns read as streams), and blocks are
 * copied from it: a 1.2 GB matrix costs ten streaming passes a fit pass, and 128 MB plus a row
 * index of 4 bytes a dataset row (`windowBytes` smaller for tests). Blocks must be asked for in order (fitLinearInBlocks does);
 * a ±Infinity throws a RangeError, as building the matrix refuses one.
 *
 * @example
 * ```ts
 * const fill = windowedRowFill(targets, columns, rows, p);
 * const fit = fitLinearInBlocks(fill, y, rows.length, p);
 * ```
 */
export function windowedRowFill(
  targets: readonly NumericTarget[],
  columns: readonly Float64Array[],
  rows: Int32Array,
  p: number,
  windowBytes = WINDOW_BYTES,
): FillRows {
  const n = rows.length;
  const total = columns[0]?.length ?? 0;
  const at = new Int32Array(total).fill(-1);
  for (let i = 0; i < n; i++) at[rows[i]] = i;
  const k = targets.length;
  const cols = targets.map((t) => columns[Number(t.column)]);
  const js = Int32Array.from(targets, (t) => t.j);
  const imputes = Float64Array.from(targets, (t) => t.impute);
  const means = Float64Array.from(targets, (t) => t.mean);
  const stds = Float64Array.from(targets, (t) => t.std);
  // At least one of fitLinearInBlocks' blocks, whatever p is.
  const windowRows = Math.max(1, Math.min(n, Math.max(BLOCK_ROWS, Math.floor(windowBytes / (8 * p)))));
  const window = new Float64Array(windowRows * p);
  let lo = 0;
  let hi = 0;
  const refill = (from: number) => {
    lo = from;
    hi = Math.min(n, from + windowRows);
    for (let r = 0; r < total; r++) {
      const i = at[r];
      if (i < lo || i >= hi) continue;
      const base = (i - lo) * p;
      for (let c = 0; c < k; c++) {
        const x = cols[c][r];
        if (x - x !== 0 && x === x) throw new RangeError(`Column ${targets[c].column} holds an infinite value.`);
        window[base + js[c]] = ((x !== x ? imputes[c] : x) - means[c]) / stds[c];
      }
    }
  };
  return (start, count, out) => {
    if (start < lo || start + count > hi) refill(start);
    if (start + count > hi) throw new RangeError(`Rows ${start}–${start + count} do not fit one window of ${windowRows} rows.`);
    out.set(window.subarray((start - lo) * p, (start - lo + count) * p));
  };
}
