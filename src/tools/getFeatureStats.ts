import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { ColumnSummary } from "../data/profileColumn.js";

export const GetFeatureStatsInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset to describe, as load_dataset registered it."),
  columns: z.array(z.string().min(1)).min(1).optional().describe("Columns to describe, in this order; defaults to every column."),
});
export type GetFeatureStatsInput = z.infer<typeof GetFeatureStatsInput>;

export const GetFeatureStatsOutput = z.object({
  dataset_id: z.string(),
  rows: z.number().int(),
  columns: z.array(ColumnSummary),
});
export type GetFeatureStatsOutput = z.infer<typeof GetFeatureStatsOutput>;

/**
 * Describes a dataset's columns: count, nulls, distinct values; for numbers mean, std, min, max,
 * quantiles and skewness (the same numbers pandas' describe and numpy.quantile give); for text,
 * dates and booleans the most frequent values.
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
    return { dataset_id: record.dataset_id, rows: record.rows, columns };
  },
});
