import type { ReportedNumber } from "./ReportedNumber.js";

/**
 * A double as JSON output reports it (see ReportedNumber): a finite number as it is, ±Infinity as
 * "Infinity" / "-Infinity", NaN (a statistic with no value: the mean of no values, ∞ − ∞) as null.
 *
 * @example
 * ```ts
 * reportNumber(1e999); // "Infinity"
 * reportNumber(NaN); // null
 * ```
 */
export function reportNumber(x: number): ReportedNumber | null {
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return Number.isNaN(x) ? null : x;
}
