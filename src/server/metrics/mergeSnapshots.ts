import type { BucketCounts, MetricsSnapshot, SeriesSnapshot } from "./MetricsSnapshot.js";

/**
 * The counts of several dw serve processes as one snapshot, as if one process had answered every
 * request: counts, rows and latency buckets add up per endpoint, first and last times are the
 * earliest and latest, the window keeps the slices within the newest snapshot's window, and the
 * server started when its earliest process did. Snapshots made with other bucket bounds or window
 * slices are a programming fault (every worker runs the same dw), so they throw.
 */
export function mergeSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  if (snapshots.length === 0) throw new Error("mergeSnapshots needs at least one snapshot.");
  const [first] = snapshots;
  for (const s of snapshots) {
    if (s.format !== first.format || s.buckets !== first.buckets || s.slice_ms !== first.slice_ms || s.window_slices !== first.window_slices) {
      throw new Error(`Metrics snapshots of different layouts cannot be merged (${first.buckets} and ${s.buckets}).`);
    }
  }
  const takenAt = Math.max(...snapshots.map((s) => s.taken_at_ms));
  const oldestSlice = Math.floor(takenAt / first.slice_ms) - first.window_slices + 1;
  const merged = new Map<string, SeriesSnapshot[]>();
  for (const snap of snapshots) {
    for (const series of snap.series) {
      const e = series.endpoint;
      const key = e === null ? "" : JSON.stringify([e.name, e.version, e.alias, e.protocol]);
      const same = merged.get(key);
      if (same) same.push(series);
      else merged.set(key, [series]);
    }
  }
  return {
    ...first,
    started_at_ms: Math.min(...snapshots.map((s) => s.started_at_ms)),
    taken_at_ms: takenAt,
    workers: snapshots.reduce((n, s) => n + s.workers, 0),
    series: [...merged.values()].map((same) => mergeSeries(same, oldestSlice)),
  };
}

function mergeSeries(same: readonly SeriesSnapshot[], oldestSlice: number): SeriesSnapshot {
  const slices = new Map<number, BucketCounts[]>();
  for (const s of same) {
    for (const w of s.window) {
      if (w.slice < oldestSlice) continue;
      const list = slices.get(w.slice);
      if (list) list.push(w.buckets);
      else slices.set(w.slice, [w.buckets]);
    }
  }
  return {
    endpoint: same[0].endpoint,
    codes: addPairs(same.map((s) => s.codes)),
    rows: same.reduce((n, s) => n + s.rows, 0),
    first_ms: Math.min(...same.map((s) => s.first_ms)),
    last_ms: Math.max(...same.map((s) => s.last_ms)),
    latency: {
      sum_seconds: same.reduce((n, s) => n + s.latency.sum_seconds, 0),
      buckets: addPairs(same.map((s) => s.latency.buckets)),
    },
    window: [...slices].sort((a, b) => a[0] - b[0]).map(([slice, lists]) => ({ slice, buckets: addPairs(lists) })),
  };
}

/** [key, count] lists added up by key, ascending by key. */
function addPairs(lists: readonly (readonly (readonly [number, number])[])[]): [number, number][] {
  const sums = new Map<number, number>();
  for (const list of lists) for (const [k, n] of list) sums.set(k, (sums.get(k) ?? 0) + n);
  return [...sums].sort((a, b) => a[0] - b[0]);
}
