/**
 * What a reader of dataset rows may also offer (rowAccessor does): a number column's values with
 * the rows to read, so transform can read them without a call per value. Undefined for a column it
 * cannot offer that way (text, a permuted column), which is then read through the accessor.
 */
export interface NumberSource {
  numbers?: (column: string) => { values: Float64Array; rows: ArrayLike<number> } | undefined;
}

/** A numeric step of a fitted pipeline (preprocessing.ts) and the matrix column `j` it writes. */
export interface NumericTarget {
  column: string;
  j: number;
  impute: number;
  mean: number;
  std: number;
}

/**
 * Fills the matrix columns of the numeric steps whose column `get` offers as a Float64Array (a
 * dataset's number column, see rowAccessor), a block of rows at a time: the block's part of the
 * row-major matrix stays in cache while every such column is written into it, where one column at
 * a time over a million rows wrote each value to another cache line. The same arithmetic as
 * transform's loop for a numeric step (preprocessing.ts), which it is split from to keep that file
 * readable. Returns the targets filled; none when a value is ±Infinity, so that transform reads
 * every column as before and throws the error it always threw (the first bad column's).
 */
export function fillTypedNumbers<T extends NumericTarget>(targets: readonly T[], n: number, p: number, get: NumberSource, data: Float64Array): Set<T> {
  const typed: { target: T; j: number; values: Float64Array; rows: ArrayLike<number>; impute: number; mean: number; std: number }[] = [];
  for (const target of targets) {
    const source = get.numbers?.(target.column);
    if (source) typed.push({ target, j: target.j, values: source.values, rows: source.rows, impute: target.impute, mean: target.mean, std: target.std });
  }
  if (typed.length === 0) return new Set();
  const scattered = scatterTypedNumbers(typed, n, p, data);
  if (scattered !== undefined) return scattered ? new Set(typed.map((t) => t.target)) : new Set();
  const block = Math.max(64, Math.floor(32_768 / p));
  for (let lo = 0; lo < n; lo += block) {
    const hi = Math.min(n, lo + block);
    for (const { j, values, rows, impute, mean, std } of typed) {
      for (let i = lo; i < hi; i++) {
        const x = values[rows[i]];
        if (x - x !== 0 && x === x) return new Set(); // ±Infinity
        data[i * p + j] = ((x !== x ? impute : x) - mean) / std;
      }
    }
  }
  return new Set(typed.map((t) => t.target));
}

/**
 * fillTypedNumbers for rows that are most of a dataset's (a training's shuffled rows): the
 * dataset rows are walked in order and each is written to its place in the matrix, so every
 * column is read as a stream and each row costs one random write of its p values, where reading
 * the rows in shuffled order cost a cache miss per value (p per row). Undefined when it does not
 * apply (rows from different sources, few of the dataset's rows, a row listed twice); false on an
 * infinite value.
 */
function scatterTypedNumbers(
  typed: { values: Float64Array; rows: ArrayLike<number>; j: number; impute: number; mean: number; std: number }[],
  n: number,
  p: number,
  data: Float64Array,
): boolean | undefined {
  const { rows, values } = typed[0];
  const total = values.length;
  if (n * 4 < total || typed.some((t) => t.rows !== rows || t.values.length !== total)) return undefined;
  const at = new Int32Array(total).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (at[r] !== -1) return undefined;
    at[r] = i;
  }
  const k = typed.length;
  const cols = typed.map((t) => t.values);
  const js = Int32Array.from(typed, (t) => t.j);
  const imputes = Float64Array.from(typed, (t) => t.impute);
  const means = Float64Array.from(typed, (t) => t.mean);
  const stds = Float64Array.from(typed, (t) => t.std);
  for (let r = 0; r < total; r++) {
    const i = at[r];
    if (i < 0) continue;
    const base = i * p;
    for (let c = 0; c < k; c++) {
      const x = cols[c][r];
      if (x - x !== 0 && x === x) return false; // ±Infinity
      data[base + js[c]] = ((x !== x ? imputes[c] : x) - means[c]) / stds[c];
    }
  }
  return true;
}
