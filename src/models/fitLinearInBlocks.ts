import { addCentredRows, solveCentred, type LinearFit } from "./linearRegression.js";

/** Writes rows [start, start + count) of the n × p feature matrix, row-major, into `out` (count × p). */
export type FillRows = (start: number, count: number, out: Float64Array) => void;

/** Rows of the matrix held at once: 4,096 × p doubles (608 KB at p = 19) stay in L2 while both loops read them. */
export const BLOCK_ROWS = 4096;

/**
 * The column means of the n × p matrix `fill` writes, and the target's mean: fitLinear's first
 * pass, block by block. Each mean is summed over the rows in order, as fitLinear sums it, so the
 * bits are the same. Answers undefined as soon as a value is ±Infinity (transform's error is the
 * caller's to raise). Separate from fitLinearInBlocks so that the first pass can run ahead of the
 * fit (the fit worker runs it while the gates run).
 */
export function blockMeans(fill: FillRows, y: Float64Array, n: number, p: number): { xMean: Float64Array; yMean: number } | undefined {
  const xMean = new Float64Array(p);
  let yMean = 0;
  const block = new Float64Array(Math.min(BLOCK_ROWS, n) * p);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    fill(start, count, block);
    for (let b = 0; b < count; b++) {
      yMean += y[start + b];
      const row = b * p;
      for (let j = 0; j < p; j++) {
        const x = block[row + j];
        if (x - x !== 0 && x === x) return undefined;
        xMean[j] += x;
      }
    }
  }
  for (let j = 0; j < p; j++) xMean[j] /= n;
  return { xMean, yMean: yMean / n };
}

/**
 * fitLinear without the n × p matrix: the matrix is written a block of rows at a time by `fill`
 * (from the dataset's shared columns, through the pipeline's steps) and both of fitLinear's passes
 * read it block by block, in the same row order and with the same arithmetic, so the fit is
 * identical to the bit (test/src/models/fitLinearInBlocks.test.ts) while memory is one block, not
 * n × p doubles: at 10M × 19 training rows the matrix would be 1.2 GB beside the 1.5 GB of
 * columns it is read from. Each pass reads the columns at the rows' (shuffled) positions, so it
 * costs more time than one pass over a built matrix; train_model takes it only past a size (see
 * stageTrainingMatrix). `means` may be given from blockMeans run earlier on the same fill.
 *
 * @example
 * ```ts
 * const fill = (start, count, out) => out.set(X.subarray(start * p, (start + count) * p));
 * const fit = fitLinearInBlocks(fill, y, n, p, 0); // equals fitLinear(X, y, n, p, 0)
 * ```
 */
export function fitLinearInBlocks(fill: FillRows, y: Float64Array, n: number, p: number, l2 = 0, means?: { xMean: Float64Array; yMean: number }): LinearFit {
  const m = means ?? blockMeans(fill, y, n, p);
  if (!m) throw new RangeError("A feature value is infinite: the linear regression cannot be fitted in blocks.");
  const { xMean, yMean } = m;
  const sums = { xtx: new Float64Array(p * p), xty: new Float64Array(p), xc: new Float64Array(p) };
  const block = new Float64Array(Math.min(BLOCK_ROWS, n) * p);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    fill(start, count, block);
    addCentredRows(block, y, start, count, p, xMean, yMean, sums);
  }
  return solveCentred(sums.xtx, sums.xty, xMean, yMean, p, l2);
}
