/**
 * The mean and the standard deviation with ddof 0 (numpy's default, and what scikit-learn reports
 * for cross-validation scores and permutation importances) of a non-empty list.
 */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, std };
}
