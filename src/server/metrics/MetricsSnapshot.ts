/**
 * What one dw serve process has counted, as plain JSON: a worker sends it to whoever renders
 * /metrics and /status, snapshots of several workers merge into one (mergeSnapshots), and the
 * renderers read a merged one as they read a single one. Bucket counts are sparse pairs, so an
 * endpoint that saw few distinct latencies costs few numbers.
 */
import { z } from "zod";

/** [bucket index (see latencyBuckets.ts), count] pairs, ascending by index, counts above 0. */
export const BucketCounts = z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive()]));
export type BucketCounts = z.infer<typeof BucketCounts>;

export const SnapshotEndpoint = z.object({
  name: z.string(),
  version: z.number().int(),
  alias: z.string().nullable(),
  protocol: z.enum(["mlflow", "oip"]),
});
export type SnapshotEndpoint = z.infer<typeof SnapshotEndpoint>;

export const SeriesSnapshot = z.object({
  endpoint: SnapshotEndpoint.nullable().describe(
    "The endpoint the requests reached; null for requests that reached no model (other routes, a 404, a body refused before its model was looked up).",
  ),
  codes: z.array(z.tuple([z.number().int(), z.number().int().positive()])).describe("[HTTP status, requests answered with it] pairs, ascending by status."),
  rows: z.number().int().nonnegative(),
  first_ms: z.number().describe("Epoch milliseconds of the first request counted."),
  last_ms: z.number(),
  latency: z.object({ sum_seconds: z.number().nonnegative(), buckets: BucketCounts }).describe("Every request since the process started."),
  window: z
    .array(z.object({ slice: z.number().int(), buckets: BucketCounts }))
    .describe("The recent requests, by the slice of time they finished in (slice = floor(epoch ms / slice_ms))."),
});
export type SeriesSnapshot = z.infer<typeof SeriesSnapshot>;

export const MetricsSnapshot = z.object({
  format: z.literal("dw.metrics/1"),
  buckets: z.string().describe("Which bucket bounds the indices refer to; snapshots with other bounds do not merge."),
  slice_ms: z.number().int().positive(),
  window_slices: z.number().int().positive().describe("How many slices, the newest included, the window spans."),
  started_at_ms: z.number().describe("When the earliest of the processes started, in epoch milliseconds."),
  taken_at_ms: z.number(),
  workers: z.number().int().positive(),
  series: z.array(SeriesSnapshot),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>;
