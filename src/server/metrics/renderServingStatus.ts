import type { EndpointTraffic, ServingStatus } from "../ServingStatus.js";
import { LATENCY_BUCKETS, quantileNs } from "./latencyBuckets.js";
import type { MetricsSnapshot, SeriesSnapshot } from "./MetricsSnapshot.js";
import { compareSeries, sumCodes } from "./series.js";

/**
 * What `GET /status` answers, from a (merged) snapshot: one entry per endpoint that answered a
 * request, ordered by model, alias (pinned versions last), version and protocol. Requests that
 * reached no model are left out (they are in /metrics). The window percentiles cover the slices
 * within the snapshot's window, 55 to 60 s (less while the server is younger).
 */
export function renderServingStatus(snap: MetricsSnapshot): ServingStatus {
  const newest = Math.floor(snap.taken_at_ms / snap.slice_ms);
  const oldest = newest - snap.window_slices + 1;
  const windowMs = Math.max(0, Math.min(snap.taken_at_ms - oldest * snap.slice_ms, snap.taken_at_ms - snap.started_at_ms));
  const endpoints = [...snap.series]
    .sort(compareSeries)
    .filter((s): s is SeriesSnapshot & { endpoint: NonNullable<SeriesSnapshot["endpoint"]> } => s.endpoint !== null)
    .map((s): EndpointTraffic => {
      const counts = new Float64Array(LATENCY_BUCKETS);
      for (const w of s.window) if (w.slice >= oldest && w.slice <= newest) for (const [i, n] of w.buckets) counts[i] += n;
      let windowRequests = 0;
      for (const n of counts) windowRequests += n;
      return {
        model_name: s.endpoint.name,
        version: s.endpoint.version,
        alias: s.endpoint.alias,
        protocol: s.endpoint.protocol,
        requests: sumCodes(s, 0, Number.POSITIVE_INFINITY),
        client_errors: sumCodes(s, 400, 499),
        server_errors: sumCodes(s, 500, 599),
        rows: s.rows,
        first_request_at: new Date(s.first_ms).toISOString(),
        last_request_at: new Date(s.last_ms).toISOString(),
        window_seconds: windowMs / 1000,
        window_requests: windowRequests,
        p50_ms: milliseconds(quantileNs(counts, 0.5)),
        p99_ms: milliseconds(quantileNs(counts, 0.99)),
      };
    });
  return { started_at: new Date(snap.started_at_ms).toISOString(), workers: snap.workers, endpoints };
}

/** Nanoseconds as milliseconds to 0.1 µs (finer than any bucket), or null. */
function milliseconds(ns: number | null): number | null {
  return ns === null ? null : Math.round(ns / 100) / 10_000;
}
