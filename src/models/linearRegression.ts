import { Matrix, solve } from "ml-matrix";

export interface LinearFit {
  intercept: number;
  coefficients: number[];
}

/**
 * Ordinary least squares (with an optional L2 penalty on the coefficients, not the intercept),
 * as scikit-learn's LinearRegression / Ridge compute it: centre X and y, solve the p×p normal
 * equations. X is row-major, n rows × p columns. The p×p system is solved by Cholesky; a
 * rank-deficient system (collinear features) falls back to ml-matrix's SVD solve, which gives
 * the minimum-norm solution as scikit-learn's lstsq does.
 */
export function fitLinear(X: Float64Array, y: Float64Array, n: number, p: number, l2 = 0): LinearFit {
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i];
    const row = i * p;
    for (let j = 0; j < p; j++) xMean[j] += X[row + j];
  }
  yMean /= n;
  for (let j = 0; j < p; j++) xMean[j] /= n;

  const sums = { xtx: new Float64Array(p * p), xty: new Float64Array(p), xc: new Float64Array(p) };
  addCentredRows(X, y, 0, n, p, xMean, yMean, sums);
  return solveCentred(sums.xtx, sums.xty, xMean, yMean, p, l2);
}

/**
 * fitLinear's second pass over `count` rows of the row-major X (y[yStart + b] the target of X's row
 * b): adds each row's centred products to the upper triangle of `sums.xtx` and to `sums.xty`, in row
 * order. fitLinearInBlocks calls it a block at a time, so both sum in the same order to the bit.
 */
export function addCentredRows(
  X: Float64Array,
  y: Float64Array,
  yStart: number,
  count: number,
  p: number,
  xMean: Float64Array,
  yMean: number,
  sums: { xtx: Float64Array; xty: Float64Array; xc: Float64Array },
): void {
  const { xtx, xty, xc } = sums;
  for (let b = 0; b < count; b++) {
    const row = b * p;
    for (let j = 0; j < p; j++) xc[j] = X[row + j] - xMean[j];
    const yc = y[yStart + b] - yMean;
    for (let j = 0; j < p; j++) {
      const a = xc[j];
      xty[j] += a * yc;
      const base = j * p;
      for (let k = j; k < p; k++) xtx[base + k] += a * xc[k];
    }
  }
}

/**
 * The end of fitLinear, shared with fitLinearInBlocks: adds the ridge penalty to the centred
 * XᵀX (upper triangle filled), mirrors it, solves for the coefficients (Cholesky, else the
 * minimum-norm SVD solution) and recovers the intercept from the means. Overwrites `xtx`.
 */
export function solveCentred(xtx: Float64Array, xty: Float64Array, xMean: Float64Array, yMean: number, p: number, l2: number): LinearFit {
  for (let j = 0; j < p; j++) {
    xtx[j * p + j] += l2;
    for (let k = 0; k < j; k++) xtx[j * p + k] = xtx[k * p + j];
  }
  const beta = choleskySolve(xtx, xty, p) ?? svdSolve(xtx, xty, p);
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= beta[j] * xMean[j];
  return { intercept, coefficients: Array.from(beta) };
}

export function predictLinear(fit: LinearFit, X: Float64Array, n: number, p: number): Float64Array {
  // As the other estimators check at predict time: a missing coefficient would read as undefined (NaN).
  if (fit.coefficients.length !== p) throw new RangeError(`linear_regression predict: the model was fitted on ${fit.coefficients.length} features, got ${p}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = fit.intercept;
    const row = i * p;
    for (let j = 0; j < p; j++) s += fit.coefficients[j] * X[row + j];
    out[i] = s;
  }
  return out;
}

/** Solves A x = b for symmetric positive definite A; null when A is not (numerically) so. */
function choleskySolve(A: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  let maxDiag = 0;
  for (let j = 0; j < p; j++) maxDiag = Math.max(maxDiag, A[j * p + j]);
  const tol = maxDiag * 1e-12;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > tol)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else {
        L[i * p + j] = s / L[j * p + j];
      }
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * z[k];
    z[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

function svdSolve(A: Float64Array, b: Float64Array, p: number): Float64Array {
  const rows: number[][] = [];
  for (let i = 0; i < p; i++) rows.push(Array.from(A.subarray(i * p, i * p + p)));
  const x = solve(new Matrix(rows), Matrix.columnVector(Array.from(b)), true);
  return Float64Array.from(x.getColumn(0));
}
