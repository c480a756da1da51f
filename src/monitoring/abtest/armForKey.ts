/**
 * Which arm of an A/B test answers a request: the assignment key (the client's X-Dw-Ab-Key, else
 * the request id) is hashed with the test's salt to a number u in [0, 1), and the arm is the one
 * whose slice of the cumulative weights holds u. The same key gets the same arm for as long as the
 * weights are unchanged (a change of weights moves only the keys whose u falls in a slice that
 * moved), in every worker and after a restart: nothing is stored per key. Different tests (other
 * salts) assign a key independently.
 *
 * @example
 * ```ts
 * const cumulative = cumulativeShares([1, 1]); // [0.5, 1]
 * armForKey(cumulative, "temp@production 2026-12-01T00:00:00Z", "user-42"); // 0 or 1, always the same for user-42
 * ```
 */
export function armForKey(cumulative: Float64Array, salt: string, key: string | undefined): number {
  const u = key === undefined ? Math.random() : keyHash(salt, key) / 4294967296;
  for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]) return i;
  return cumulative.length - 1;
}

/** Cumulative shares of positive weights, the last exactly 1. */
export function cumulativeShares(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let run = 0;
  for (let i = 0; i < weights.length; i++) {
    run += weights[i];
    out[i] = run / total;
  }
  out[weights.length - 1] = 1;
  return out;
}

/**
 * A 32-bit hash of salt and key: FNV-1a over the UTF-16 code units, then MurmurHash3's finaliser,
 * which spreads keys that differ in one character (user-1, user-2) over the whole range.
 */
export function keyHash(salt: string, key: string): number {
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  };
  mix(salt);
  h ^= 0;
  h = Math.imul(h, 0x01000193);
  mix(key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
