/**
 * The statistics the quality gate judges, computed once per table. Two producers fill it: an
 * in-memory pass over a dw Dataset (src/quality/profileDataset.ts) and aggregate SQL run inside
 * the database for SQL tables (src/quality/profileSqlTable.ts), so a check on a warehouse table
 * never pulls its rows. The checks (src/quality/checks/) read only this shape. The shape is a zod
 * schema because a profile is also read back from disk (src/data/profileCache.ts), where it is
 * validated before use.
 */
import { z } from "zod";

/** What the checks will compare against: the last training snapshot of the same dataset, and the target. */
export interface ProfileRequest {
  /** The target column, for leakage and class-balance statistics. */
  target?: string;
  /** Per column, the reference the data is compared with (from the last training run's manifest). */
  reference?: ReferenceColumn[];
  /** How many most frequent values to return per text column (default 10). */
  topK?: number;
}

export interface ReferenceColumn {
  name: string;
  /** Range seen in the training data (numbers, or ISO text for dates). */
  min?: number | string;
  max?: number | string;
  /** Numeric columns: ascending inner bin edges; the profile counts values into edges.length + 1 bins. */
  edges?: number[];
  /** Text columns: the categories; the profile counts each, plus one "other" count at the end. */
  categories?: string[];
}

export const ColumnProfile = z.object({
  name: z.string(),
  type: z.enum(["number", "boolean", "date", "string"]),
  /** Non-missing values. */
  count: z.number().int(),
  nulls: z.number().int(),
  /** Distinct non-missing values (exact, unless `distinctApproximate`). */
  distinct: z.number().int(),
  /**
   * Optional: `distinct` is an estimate (DuckDB's HyperLogLog approx_count_distinct, a few percent
   * off), made by the SQL profile past its size (src/quality/profileSqlTable.ts); absent: exact.
   */
  distinctApproximate: z.boolean().optional(),
  /** Numbers: min, max, mean, population std. Dates: ISO min/max only. */
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  mean: z.number().optional(),
  std: z.number().optional(),
  /** Text columns: share of non-missing values that parse as numbers, with one example that does not. */
  numericShare: z.number().optional(),
  nonNumericExample: z.string().optional(),
  /** Most frequent values, most frequent first. */
  top: z.array(z.object({ value: z.string(), count: z.number().int() })).optional(),
  /** With a reference: values below its min / above its max. */
  belowRange: z.number().int().optional(),
  aboveRange: z.number().int().optional(),
  /**
   * With reference edges or categories: the counts per bin (edges.length + 1) or per category (+ other).
   * Bins are closed on the left: bin i holds edges[i-1] <= v < edges[i] (bin 0: v < edges[0], the
   * last bin: v >= the last edge), i.e. i = the number of edges <= v.
   */
  binCounts: z.array(z.number().int()).optional(),
  /** Optional, numbers: every non-missing value is a whole number. */
  integers: z.boolean().optional(),
  /** Optional, producers that know row order: the non-missing values strictly increase / decrease down the rows. */
  monotonic: z.enum(["increasing", "decreasing"]).optional(),
  /** Optional, dates: milliseconds since the epoch of min and max (a time without a zone read as UTC). */
  minTime: z.number().optional(),
  maxTime: z.number().optional(),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

export const LeakageStat = z.object({
  feature: z.string(),
  /**
   * abs_correlation: |Pearson r| (number feature, number target);
   * correlation_ratio: η² of the number side grouped by the text side;
   * purity: share of rows whose target is the most common target among rows with the same feature value
   * (text feature, text target), to compare with `baseline` (the most common class share).
   */
  measure: z.enum(["abs_correlation", "correlation_ratio", "purity"]),
  value: z.number(),
  baseline: z.number().optional(),
});
export type LeakageStat = z.infer<typeof LeakageStat>;

export const TableProfile = z.object({
  rows: z.number().int(),
  /** Rows identical (in every column) to an earlier row. */
  duplicateRows: z.number().int(),
  /**
   * Optional, how duplicateRows was counted when not by comparing rows: `row_hash` is rows less the
   * distinct 64-bit hashes of the rows (two different rows sharing a hash count as one duplicate;
   * see docs/quality.md for the odds). Absent: exact.
   */
  duplicateRowsBy: z.enum(["row_hash"]).optional(),
  /** Up to 10 (0-based) row numbers of duplicates, when the producer can name rows (in-memory). */
  duplicateExamples: z.array(z.number().int()).optional(),
  columns: z.array(ColumnProfile),
  /** With a target: its class counts (text target) and each feature's association with it. */
  classCounts: z.array(z.object({ value: z.string(), count: z.number().int() })).optional(),
  leakage: z.array(LeakageStat).optional(),
});
export type TableProfile = z.infer<typeof TableProfile>;
