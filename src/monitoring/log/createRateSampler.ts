/**
 * Which requests the inference log keeps when traffic is high: in each second, the first
 * `rate()` requests (weight 1), then one in every `stride` (weight `stride`, so the kept ones
 * stand for all), where the stride is last second's count over the rate (at least 2). Sums of
 * weights estimate the real counts; at most about twice the rate is logged per second.
 * `weight(t)` answers 0 for a request not kept.
 */
export function createRateSampler(rate: () => number) {
  let second = Number.NaN;
  let count = 0;
  let stride = 2;
  return {
    weight(t: number): number {
      const s = Math.floor(t / 1000);
      if (s !== second) {
        const last = s === second + 1 ? count : 0;
        second = s;
        count = 0;
        stride = Math.max(2, Math.ceil(last / rate()));
      }
      count++;
      const full = rate();
      if (count <= full) return 1;
      return Math.ceil(count - full) % stride === 0 ? stride : 0;
    },
  };
}
