/** Formats a metric so that r2 = 0.8123456 reads 0.812 and rmse = 1234.5 reads 1234.5. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(3);
}
