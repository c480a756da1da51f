/**
 * The latency buckets dw serve counts requests into, fine enough that a percentile read from the
 * counts is within LATENCY_RELATIVE_ERROR of the true one, and the same in every process, so the
 * counts of several workers add up (raw samples would not merge, nor stay bounded).
 *
 * Bounds are whole nanoseconds, log-spaced (about 5% apart) from 10 µs to 10 s, and include every
 * bound /metrics exposes (1, 2.5 and 5 times a power of ten, from 0.1 ms to 10 s), so the
 * Prometheus histogram is summed from these counts exactly. Bucket 0 holds [0, 10 µs], bucket i
 * (bound[i-1], bound[i]], the last one everything over 10 s.
 */

/** Each decade of bounds: from one anchor to the next in this many equal ratios. */
const SEGMENTS: readonly (readonly [number, number, number])[] = [
  [1, 2.5, 19],
  [2.5, 5, 14],
  [5, 10, 14],
];
const LOWEST_NS = 10_000;
const DECADES = 6;

function makeBounds(): Float64Array {
  const bounds: number[] = [];
  for (let d = 0, decade = LOWEST_NS; d < DECADES; d++, decade *= 10) {
    for (const [from, to, steps] of SEGMENTS) {
      for (let k = 0; k < steps; k++) bounds.push(Math.round(decade * from * (to / from) ** (k / steps)));
    }
  }
  bounds.push(LOWEST_NS * 10 ** DECADES);
  return Float64Array.from(bounds);
}

/** Upper bounds of the buckets in nanoseconds, ascending; one bucket more than bounds (over the last). */
export const LATENCY_BOUNDS_NS: Readonly<Float64Array> = makeBounds();

/** How many buckets there are. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_NS.length + 1;

/** The upper bounds of /metrics' histogram, in nanoseconds: 0.1 ms, 0.25 ms, 0.5 ms, 1 ms, … 10 s (each one of the bounds above). */
export const PROMETHEUS_BOUNDS_NS: readonly number[] = [1e5, 1e6, 1e7, 1e8, 1e9].flatMap((d) => [d, 2.5 * d, 5 * d]).concat(1e10);

/**
 * The most a percentile read from the buckets can be off, relative to the true one: it is read as
 * the geometric middle of its bucket, at most half a bucket's ratio away (for latencies from 10 µs
 * to 10 s).
 */
export const LATENCY_RELATIVE_ERROR = (() => {
  let worst = 0;
  for (let i = 1; i < LATENCY_BOUNDS_NS.length; i++) worst = Math.max(worst, Math.sqrt(LATENCY_BOUNDS_NS[i] / LATENCY_BOUNDS_NS[i - 1]) - 1);
  return worst;
})();

const LAST = LATENCY_BOUNDS_NS.length;

/** The bucket of `ns` by binary search over the bounds: the definition the fast path below is built from. */
function searchBucket(ns: number): number {
  let lo = 0;
  let hi = LAST;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ns <= LATENCY_BOUNDS_NS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Durations under 2^31 ns (2.1 s) split into cells by their highest bit and the 4 bits below it
 * (cells at most 1/16 wide, narrower than any bucket); per cell, the bucket of its lowest value.
 */
const FAST_LIMIT = 2 ** 31;
const CELL_START = (() => {
  const cells = new Uint16Array(32 * 16);
  for (let high = 4; high < 31; high++) {
    for (let m = 0; m < 16; m++) cells[high * 16 + m] = searchBucket((16 + m) * 2 ** (high - 4));
  }
  return cells;
})();

/**
 * The bucket a duration in whole nanoseconds falls in: the bucket where its cell starts, then a
 * step or two up (a binary search for durations over 2.1 s). Costs a few integer operations and
 * allocates nothing.
 */
export function latencyBucket(ns: number): number {
  if (!(ns > LOWEST_NS)) return 0;
  if (ns >= FAST_LIMIT) return searchBucket(ns);
  const high = 31 - Math.clz32(ns);
  let i = CELL_START[high * 16 + ((ns >>> (high - 4)) & 15)];
  while (ns > LATENCY_BOUNDS_NS[i]) i++;
  return i;
}

/** The duration in nanoseconds a bucket stands for: its geometric middle (the first and last bucket: their one bound). */
export function bucketValueNs(bucket: number): number {
  if (bucket <= 0) return LATENCY_BOUNDS_NS[0];
  if (bucket >= LATENCY_BOUNDS_NS.length) return LATENCY_BOUNDS_NS[LATENCY_BOUNDS_NS.length - 1];
  return Math.sqrt(LATENCY_BOUNDS_NS[bucket - 1] * LATENCY_BOUNDS_NS[bucket]);
}

/**
 * The q-quantile (0 < q ≤ 1) of the durations counted in `counts` (indexed by bucket), in
 * nanoseconds, by nearest rank (the ⌈q·n⌉-th smallest, as a client sorting its own timings would
 * take it); null when nothing was counted.
 */
export function quantileNs(counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= rank) return bucketValueNs(i);
  }
  return bucketValueNs(counts.length - 1);
}
