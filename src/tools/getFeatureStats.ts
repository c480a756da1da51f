import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { ColumnSummary } from "../data/profileColumn.js";
import { ReportedNumber } from "../data/ReportedNumber.js";
import { reportNumber } from "../data/reportNumber.js";

export const GetFeatureStatsInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset to describe, as load_dataset registered it."),
  columns: z.array(z.string().min(1)).min(1).optional().describe("Columns to describe, in this order; defaults to every column."),
});
export type GetFeatureStatsInput = z.infer<typeof GetFeatureStatsInput>;

/** A statistic as reported: a number, "Infinity" / "-Infinity", or null when it has no value. */
const Statistic = ReportedNumber.nullable();

/**
 * ColumnSummary as JSON can hold it (see reportedSummary): the summary of an all-empty numeric
 * column has no mean, min or quantiles (NaN), and one of a column holding an infinity has infinite
 * ones, neither of which JSON has.
 */
const ReportedColumnSummary = ColumnSummary.extend({
  mean: Statistic.optional(),
  std: Statistic.optional().describe("Sample standard deviation (ddof=1, as pandas); null with fewer than two values, or when an infinity makes it undefined."),
  min: Statistic.optional(),
  max: Statistic.optional(),
  quantiles: z
    .object({ p05: Statistic, p25: Statistic, p50: Statistic, p75: Statistic, p95: Statistic })
    .optional()
    .describe("Linear interpolation between order statistics, as numpy.quantile's default."),
  skewness: Statistic.optional().describe(
    "Bias-corrected sample skewness, as pandas' skew; null with fewer than three values, or when an infinity makes it undefined.",
  ),
});
type ReportedColumnSummary = z.infer<typeof ReportedColumnSummary>;

export const GetFeatureStatsOutput = z.object({
  dataset_id: z.string(),
  rows: z.number().int(),
  columns: z
    .array(ReportedColumnSummary)
    .describe(
      'Number columns\' statistics are what pandas\' describe gives, written for JSON: ±Infinity (a value `1e999`, say) as "Infinity" / "-Infinity", and null where pandas gives NaN (no values at all, or ∞ − ∞).',
    ),
});
export type GetFeatureStatsOutput = z.infer<typeof GetFeatureStatsOutput>;

/**
 * Describes a dataset's columns: count, nulls, distinct values; for numbers mean, std, min, max,
 * quantiles and skewness (the same numbers pandas' describe and numpy.quantile give; ±Infinity as
 * "Infinity" / "-Infinity" and NaN as null, as JSON has neither); for text, dates and booleans the
 * most frequent values.
 *
 * @example
 * ```ts
 * const stats = await dw.getFeatureStats({ dataset_id: "seattle-weather", columns: ["temp_max", "weather"] });
 * stats.columns[0].quantiles?.p50; // 15.6
 * ```
 */
export const getFeatureStats = defineTool({
  name: "get_feature_stats",
  annotations: { effect: "reads" },
  description:
    "Per-column statistics of a dataset: count, nulls, distinct values; mean, std, min, max and quantiles of numbers; top values of text, dates and booleans.",
  input: GetFeatureStatsInput,
  output: GetFeatureStatsOutput,
  magic: { aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const { readDatasetRecord } = await import("../data/datasetRecords.js");
    const { dataVersion } = await import("../data/profileCacheKey.js");
    const { profileCacheSummaries } = await import("../data/profileCacheSummaries.js");
    // Summaries are kept per data version: the dataset is read only for columns not summarised yet.
    const record = await readDatasetRecord(ctx.workspace, input.dataset_id);
    const names = input.columns ?? record.columns.map((c) => c.name);
    // The reader (Arrow, the CSV parser) is loaded only when a column is not summarised yet.
    const data = async () => (await (await import("../data/readDataset.js")).readDataset(ctx.workspace, record.dataset_id)).ds;
    const columns = await profileCacheSummaries(ctx.workspace, { version: dataVersion(ctx.workspace, record) }, names, "columns", record.dataset_id, data);
    return { dataset_id: record.dataset_id, rows: record.rows, columns: columns.map(reportedSummary) };
  },
});

/** A summary as computed (doubles, NaN and ±Infinity included) as ReportedColumnSummary writes it. */
function reportedSummary(s: ColumnSummary): ReportedColumnSummary {
  if (s.type !== "number") return s;
  const stat = (x: number | null | undefined) => (x === undefined || x === null ? x : reportNumber(x));
  const q = s.quantiles;
  return {
    ...s,
    mean: stat(s.mean),
    std: stat(s.std),
    min: stat(s.min),
    max: stat(s.max),
    quantiles: q && { p05: reportNumber(q.p05), p25: reportNumber(q.p25), p50: reportNumber(q.p50), p75: reportNumber(q.p75), p95: reportNumber(q.p95) },
    skewness: stat(s.skewness),
  };
}
