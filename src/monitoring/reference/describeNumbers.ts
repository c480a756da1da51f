import { lowerBound, meanAndStd, quantileSorted } from "../../data/statistics.js";
import { DISTINCT_CAP, REFERENCE_QUANTILES, type ReferenceColumn } from "./DriftReference.js";

/**
 * A numeric column's drift reference from its finite values in ascending order (as sortedFinite
 * gives them) out of `rows` rows: count, nulls (the rows without a finite value), distinct values
 * up to DISTINCT_CAP, range, mean and population std (summed in ascending order), and every 5%
 * quantile as a bin edge with the count of values in each bin. A training computes it from the one
 * sort of each column its other statistics share (gates/columnOrderStats.ts), a rebuilt reference
 * from sortedFinite; either way the same numbers.
 *
 * @example
 * ```ts
 * const ref = describeNumbers("price", sortedFinite(prices), prices.length);
 * ```
 */
export function describeNumbers(name: string, sorted: Float64Array, rows: number): Extract<ReferenceColumn, { kind: "number" }> {
  const n = sorted.length;
  const edges = n === 0 ? [] : [...new Set(REFERENCE_QUANTILES.map((q) => quantileSorted(sorted, q)))];
  const bin_counts: number[] = [];
  let before = 0;
  for (const e of edges) {
    const upTo = lowerBound(sorted, e);
    bin_counts.push(upTo - before);
    before = upTo;
  }
  bin_counts.push(n - before);
  let distinct = 0;
  for (let i = 0; i < n && distinct < DISTINCT_CAP; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const { mean, std } = n ? meanAndStd(sorted, 0) : { mean: NaN, std: NaN };
  return {
    name,
    kind: "number",
    count: n,
    nulls: rows - n,
    distinct,
    min: n ? sorted[0] : null,
    max: n ? sorted[n - 1] : null,
    mean: Number.isFinite(mean) ? mean : null,
    std: Number.isFinite(std) ? std : null,
    edges,
    bin_counts,
  };
}
