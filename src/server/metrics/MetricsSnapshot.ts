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
  /** The endpoint the requests reached; null for requests that reached no model (other routes, a 404, a body refused before its model was looked up). */
  endpoint: SnapshotEndpoint.nullable(),
  /** [HTTP status, requests answered with it] pairs, ascending by status. */
  codes: z.array(z.tuple([z.number().int(), z.number().int().positive()])),
  rows: z.number().int().nonnegative(),
  first_ms: z.number().describe("Epoch milliseconds of the first request counted."),
  last_ms: z.number(),
  /** Every request since the process started. */
  latency: z.object({ sum_seconds: z.number().nonnegative(), buckets: BucketCounts }),
  /** The recent requests, by the slice of time they finished in (slice = floor(epoch ms / slice_ms)). */
  window: z.array(z.object({ slice: z.number().int(), buckets: BucketCounts })),
});
export type SeriesSnapshot = z.infer<typeof SeriesSnapshot>;

export const MetricsSnapshot = z.object({
  format: z.literal("dw.metrics/1"),
  /** Which bucket bounds the indices refer to; snapshots with other bounds do not merge. */
  buckets: z.string(),
  slice_ms: z.number().int().positive(),
  /** How many slices, the newest included, the window spans. */
  window_slices: z.number().int().positive(),
  /** When the earliest of the processes started, in epoch milliseconds. */
  started_at_ms: z.number(),
  taken_at_ms: z.number(),
  workers: z.number().int().positive(),
  series: z.array(SeriesSnapshot),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>;
