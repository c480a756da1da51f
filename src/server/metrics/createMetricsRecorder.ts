import { LATENCY_BUCKETS, latencyBucket } from "./latencyBuckets.js";
import type { BucketCounts, MetricsSnapshot, SeriesSnapshot, SnapshotEndpoint } from "./MetricsSnapshot.js";

/** The window /status reads its percentiles over: the slice a request finished in and the 11 before it (55 to 60 s). */
export const WINDOW_SLICE_MS = 5_000;
export const WINDOW_SLICES = 12;
/** Names the bucket bounds of latencyBuckets.ts in a snapshot, so counts made with other bounds are not added to these. */
export const BUCKETS_ID = `log-10us-10s/${LATENCY_BUCKETS}`;

/** The endpoint a request reached, as a route records it (src/server/routes/RouteContext.ts ServedEndpoint). */
export type ObservedEndpoint = SnapshotEndpoint & { rows?: number };

/** Counts the requests one dw serve process answers. */
export interface MetricsRecorder {
  /**
   * Counts one finished request: the endpoint it reached (undefined when it reached no model), the
   * HTTP status it was answered with, and when it arrived and when its answer was written
   * (process.hrtime.bigint()). Costs a few map lookups and array increments, reads no clock, and
   * allocates nothing once the endpoint has been seen.
   */
  observe(endpoint: ObservedEndpoint | undefined, status: number, arrivedNs: bigint, finishedNs: bigint): void;
  /** Everything counted so far, as plain JSON (the window holds only its recent slices). */
  snapshot(): MetricsSnapshot;
}

/**
 * Where a server counts its requests, and where /metrics and /status get the whole server's
 * counts: `stats` defaults to the recorder's own snapshot; a server of several processes passes
 * one that asks every worker and merges the answers (mergeSnapshots).
 */
export interface ServerMetrics {
  recorder: MetricsRecorder;
  stats?: () => Promise<MetricsSnapshot>;
}

interface Series {
  readonly endpoint: SnapshotEndpoint | null;
  /** HTTP status → requests. */
  readonly codes: Map<number, number>;
  rows: number;
  firstMs: number;
  lastMs: number;
  sumNs: number;
  /** Requests per latency bucket since the start. */
  readonly counts: Float64Array;
  /** WINDOW_SLICES rows of LATENCY_BUCKETS counts, row j holding the slice sliceIds[j]. */
  readonly slices: Uint32Array;
  readonly sliceIds: Float64Array;
}

function newSeries(endpoint: SnapshotEndpoint | null): Series {
  return {
    endpoint,
    codes: new Map(),
    rows: 0,
    firstMs: -1,
    lastMs: -1,
    sumNs: 0,
    counts: new Float64Array(LATENCY_BUCKETS),
    slices: new Uint32Array(WINDOW_SLICES * LATENCY_BUCKETS),
    sliceIds: new Float64Array(WINDOW_SLICES).fill(-1),
  };
}

/** The clocks a recorder reads: the wall clock once at its start, then the monotonic one (injectable for tests). */
export interface RecorderClock {
  wallMs(): number;
  monotonicNs(): bigint;
}

const SYSTEM_CLOCK: RecorderClock = { wallMs: () => Date.now(), monotonicNs: () => process.hrtime.bigint() };

/**
 * A recorder for one process. Memory is fixed per endpoint (about 16 KB: the latency buckets and
 * the window's slices), and endpoints exist only for models that were served, so no load or
 * request can grow it. Times are the monotonic clock's, set against the wall clock once at the
 * start, so a request's time costs no clock read beyond the two the server makes for its duration.
 */
export function createMetricsRecorder(clock: RecorderClock = SYSTEM_CLOCK): MetricsRecorder {
  const startedAtMs = clock.wallMs();
  const originMs = startedAtMs - Number(clock.monotonicNs()) / 1e6;
  // name → alias → version → protocol: found from the route's own values, without building a key.
  const byName = new Map<string, Map<string | null, Map<number, Map<string, Series>>>>();
  let unmatched: Series | null = null;

  function seriesOf(e: ObservedEndpoint): Series {
    let byAlias = byName.get(e.name);
    if (byAlias === undefined) {
      byAlias = new Map();
      byName.set(e.name, byAlias);
    }
    let byVersion = byAlias.get(e.alias);
    if (byVersion === undefined) {
      byVersion = new Map();
      byAlias.set(e.alias, byVersion);
    }
    let byProtocol = byVersion.get(e.version);
    if (byProtocol === undefined) {
      byProtocol = new Map();
      byVersion.set(e.version, byProtocol);
    }
    let series = byProtocol.get(e.protocol);
    if (series === undefined) {
      // A copy of the route's values: the request's own object is not kept.
      series = newSeries({ name: e.name, version: e.version, alias: e.alias, protocol: e.protocol });
      byProtocol.set(e.protocol, series);
    }
    return series;
  }

  function unmatchedSeries(): Series {
    if (unmatched === null) unmatched = newSeries(null);
    return unmatched;
  }

  function observe(endpoint: ObservedEndpoint | undefined, status: number, arrivedNs: bigint, finishedNs: bigint): void {
    const s = endpoint === undefined ? unmatchedSeries() : seriesOf(endpoint);
    // Two conversions rather than a bigint subtraction, which would allocate; exact to the nanosecond
    // while the monotonic clock reads under 2^53 ns (104 days), to a few nanoseconds after.
    const finished = Number(finishedNs);
    const durationNs = finished - Number(arrivedNs);
    const at = originMs + finished / 1e6;
    s.codes.set(status, (s.codes.get(status) ?? 0) + 1);
    if (endpoint?.rows !== undefined) s.rows += endpoint.rows;
    if (s.firstMs < 0) s.firstMs = at;
    s.lastMs = at;
    s.sumNs += durationNs;
    const bucket = latencyBucket(durationNs);
    s.counts[bucket]++;
    const slice = Math.floor(at / WINDOW_SLICE_MS);
    const row = slice % WINDOW_SLICES;
    if (s.sliceIds[row] !== slice) {
      s.slices.fill(0, row * LATENCY_BUCKETS, (row + 1) * LATENCY_BUCKETS);
      s.sliceIds[row] = slice;
    }
    s.slices[row * LATENCY_BUCKETS + bucket]++;
  }

  function snapshotOf(s: Series, oldestSlice: number): SeriesSnapshot {
    const window: SeriesSnapshot["window"] = [];
    for (let row = 0; row < WINDOW_SLICES; row++) {
      if (s.sliceIds[row] >= oldestSlice)
        window.push({ slice: s.sliceIds[row], buckets: sparse(s.slices.subarray(row * LATENCY_BUCKETS, (row + 1) * LATENCY_BUCKETS)) });
    }
    window.sort((a, b) => a.slice - b.slice);
    return {
      endpoint: s.endpoint,
      codes: [...s.codes].sort((a, b) => a[0] - b[0]),
      rows: s.rows,
      first_ms: s.firstMs,
      last_ms: s.lastMs,
      latency: { sum_seconds: s.sumNs / 1e9, buckets: sparse(s.counts) },
      window,
    };
  }

  function snapshot(): MetricsSnapshot {
    const takenAt = originMs + Number(clock.monotonicNs()) / 1e6;
    const oldestSlice = Math.floor(takenAt / WINDOW_SLICE_MS) - WINDOW_SLICES + 1;
    const series: SeriesSnapshot[] = [];
    if (unmatched) series.push(snapshotOf(unmatched, oldestSlice));
    for (const byAlias of byName.values()) {
      for (const byVersion of byAlias.values()) {
        for (const byProtocol of byVersion.values()) for (const s of byProtocol.values()) series.push(snapshotOf(s, oldestSlice));
      }
    }
    return {
      format: "dw.metrics/1",
      buckets: BUCKETS_ID,
      slice_ms: WINDOW_SLICE_MS,
      window_slices: WINDOW_SLICES,
      started_at_ms: startedAtMs,
      taken_at_ms: takenAt,
      workers: 1,
      series,
    };
  }

  return { observe, snapshot };
}

function sparse(counts: ArrayLike<number>): BucketCounts {
  const pairs: BucketCounts = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) pairs.push([i, counts[i]]);
  return pairs;
}
