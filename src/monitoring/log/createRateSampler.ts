/**
 * Which requests the inference log keeps when traffic is high, so that about `rate()` a second
 * are logged however many arrive. After a second of at most `rate()` requests, every request is
 * kept (weight 1) until this second has had `rate()`, then one in two (weight 2: a burst). After a
 * busier second, one request in `stride` from the start of the second, where the stride is that
 * second's count over the rate (rounded up), each kept one with weight `stride`. Sums of weights
 * estimate the real counts. `weight(t)` answers 0 for a request not kept.
 */
export function createRateSampler(rate: () => number) {
  let second = Number.NaN;
  let count = 0;
  let stride = 1;
  return {
    weight(t: number): number {
      const s = Math.floor(t / 1000);
      if (s !== second) {
        const last = s === second + 1 ? count : 0;
        second = s;
        count = 0;
        stride = Math.max(1, Math.ceil(last / rate()));
      }
      count++;
      if (stride > 1) return count % stride === 0 ? stride : 0;
      if (count <= rate()) return 1;
      return count % 2 === 0 ? 2 : 0;
    },
  };
}
