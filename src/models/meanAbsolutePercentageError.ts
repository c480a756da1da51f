/**
 * sklearn.metrics.mean_absolute_percentage_error: mean of |y − ŷ| / max(|y|, eps) with
 * eps = 2^-52, a fraction (0.1 means 10 %), not a percentage. A true value of 0 makes the
 * result huge rather than infinite, as in scikit-learn.
 */
export function meanAbsolutePercentageError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = yTrue.length;
  if (n !== yPred.length) throw new RangeError(`meanAbsolutePercentageError: ${n} true values but ${yPred.length} predictions`);
  if (n === 0) throw new RangeError("meanAbsolutePercentageError: no rows to score");
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(yTrue[i] - yPred[i]) / Math.max(Math.abs(yTrue[i]), Number.EPSILON);
  return s / n;
}
