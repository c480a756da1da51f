/**
 * The input every dw model fits and predicts on: `rows` × `cols` numbers, **row-major** (the value
 * of feature j in row i is `data[i * cols + j]`), the layout `fitLinear` uses and the one a CSV is
 * read into. Trees bin it once into a column-major Uint8Array internally (see `binFeatures`).
 * NaN and ±Infinity are rejected at fit and predict time for now: impute before.
 */
export interface FeatureMatrix {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/** Checks the shape and that every value is finite; throws a RangeError naming the first bad cell. */
export function checkFeatureMatrix(X: FeatureMatrix, where: string, expectedCols?: number): void {
  if (!Number.isInteger(X.rows) || !Number.isInteger(X.cols) || X.rows < 0 || X.cols < 1) {
    throw new RangeError(`${where}: bad shape ${X.rows} × ${X.cols}`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new RangeError(`${where}: data has ${X.data.length} values, expected rows × cols = ${X.rows * X.cols}`);
  }
  if (expectedCols !== undefined && X.cols !== expectedCols) {
    throw new RangeError(`${where}: the model was fitted on ${expectedCols} features, got ${X.cols}`);
  }
  const d = X.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new RangeError(`${where}: row ${Math.floor(i / X.cols)}, feature ${i % X.cols} is ${d[i]}; impute or drop missing and infinite values first`);
    }
  }
}

/** Checks class labels are integers 0..nClasses-1 and returns nClasses (largest label + 1 unless given). */
export function checkClassLabels(y: ArrayLike<number>, n: number, where: string, nClasses?: number): number {
  if (y.length !== n) throw new RangeError(`${where}: ${n} rows but ${y.length} labels`);
  let K = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${where}: label of row ${i} is ${v}; labels must be class indices 0, 1, …`);
    if (v + 1 > K) K = v + 1;
  }
  if (nClasses !== undefined) {
    if (K > nClasses) throw new RangeError(`${where}: label ${K - 1} is not below nClasses = ${nClasses}`);
    K = nClasses;
  }
  if (K < 2) throw new RangeError(`${where}: the target has a single class; classification needs at least two`);
  return K;
}

/** Checks a regression target: one finite value per row. */
export function checkRegressionTarget(y: ArrayLike<number>, n: number, where: string): void {
  if (y.length !== n) throw new RangeError(`${where}: ${n} rows but ${y.length} target values`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) throw new RangeError(`${where}: target of row ${i} is ${y[i]}; drop or impute it first`);
  }
}
