/** A small seeded generator (mulberry32): the same seed gives the same split on every machine. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Puts 0..n-1 into `order` and shuffles it (Fisher–Yates from the end) with draws from `rand`.
 * Reusing one `order` and one `rand` gives a new permutation per call without allocating, as
 * permutation importance needs for every column and repeat.
 */
export function shuffleInto(order: Uint32Array, rand: () => number): Uint32Array {
  const n = order.length;
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  return shuffleInto(new Uint32Array(n), createRandom(seed));
}

/**
 * `k` of the positions 0..n-1 drawn without replacement with draws from `rand` (Fisher–Yates
 * stopped after k steps), in increasing order, so a sample keeps the rows' original order.
 */
export function sampledIndices(n: number, k: number, rand: () => number): Uint32Array {
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, k).sort();
}
