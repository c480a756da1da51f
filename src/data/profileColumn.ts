import { z } from "zod";
import type { Column } from "./Dataset.js";
import { Quantiles, type SortedSummary, skewness, sortedPresent, summarizeSorted } from "./statistics.js";

/**
 * A column's summary statistics as get_feature_stats and suggest_features show them (pandas'
 * describe), as computed: doubles, so an all-empty numeric column's mean, min, max and quantiles
 * are NaN and a column holding an infinity has infinite ones, as in pandas. get_feature_stats'
 * output writes them for JSON (ReportedNumber: "Infinity", null for NaN); the profile cache keeps
 * them as they are. Not the quality gate's `ColumnProfile` (src/quality/TableProfile.ts), which
 * carries what the quality checks measure.
 */
export const ColumnSummary = z.object({
  name: z.string(),
  type: z.enum(["number", "boolean", "date", "string"]),
  count: z.number().int().describe("Non-missing values."),
  nulls: z.number().int(),
  null_rate: z.number().describe("nulls ÷ rows."),
  distinct: z.number().int().describe("Distinct non-missing values."),
  mean: z.number().optional(),
  std: z.number().nullable().optional().describe("Sample standard deviation (ddof=1, as pandas); null with fewer than two values."),
  min: z.number().optional(),
  max: z.number().optional(),
  quantiles: Quantiles.optional().describe("Linear interpolation between order statistics, as numpy.quantile's default."),
  skewness: z.number().nullable().optional().describe("Bias-corrected sample skewness, as pandas' skew; null with fewer than three values."),
  top_values: z
    .array(z.object({ value: z.string(), count: z.number().int() }))
    .optional()
    .describe("Text, date and boolean columns: the 10 most frequent values, most frequent first."),
});
export type ColumnSummary = z.infer<typeof ColumnSummary>;

/**
 * Per-column summary statistics. Numbers: mean, std, min, max and numpy-style (linear) quantiles
 * over the non-missing values; text, dates and booleans: the `top` most frequent values.
 */
export function profileColumn(col: Column, top = 10): ColumnSummary {
  const rows = col.values.length;
  const base = { name: col.name, type: col.type, nulls: col.nulls, null_rate: rows ? col.nulls / rows : 0 };
  if (col.type === "number") {
    const s = sortedStats(col.values);
    return {
      ...base,
      count: s.count,
      distinct: s.distinct,
      mean: s.mean,
      std: s.count > 1 ? s.std : null,
      min: s.min,
      max: s.max,
      quantiles: s.quantiles,
      skewness: skewness(col.values, s.mean, s.count),
    };
  }
  const counts = new Map<string, number>();
  for (const v of col.values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  // Array.prototype.sort is stable, so equal counts keep their first-appearance order.
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  return {
    ...base,
    count: rows - col.nulls,
    distinct: counts.size,
    top_values: ranked.slice(0, top).map(([value, count]) => ({ value, count })),
  };
}

/**
 * The numbers featureStats gives (see summarizeSorted) plus the distinct count, from one sort of
 * the non-missing values.
 */
function sortedStats(values: Float64Array): SortedSummary & { distinct: number } {
  const present = sortedPresent(values);
  let distinct = 0;
  for (let i = 0; i < present.length; i++) if (i === 0 || present[i] !== present[i - 1]) distinct++;
  return { ...summarizeSorted(present), distinct };
}
