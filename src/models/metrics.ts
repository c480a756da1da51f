/** Regression metrics as scikit-learn defines them (r2_score, root of mean_squared_error, mean_absolute_error). */
export function regressionMetrics(yTrue: Float64Array, yPred: Float64Array): { r2: number; rmse: number; mae: number } {
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i] - yPred[i];
    ssRes += e * e;
    abs += Math.abs(e);
    const d = yTrue[i] - mean;
    ssTot += d * d;
  }
  // scikit-learn: a constant y_true gives r2 = 1 for a perfect fit, else 0.
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return { r2, rmse: Math.sqrt(ssRes / n), mae: abs / n };
}
