/** 32-bit finaliser (MurmurHash3's fmix32): spreads every input bit over the whole word. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hash of a float64 given as its two 32-bit halves (callers pass 0, 0 for ±0 so both hash alike). */
export function hashFloatBits(lo: number, hi: number): number {
  return fmix32(Math.imul(lo, 0xcc9e2d51) ^ hi);
}

/** What a missing value contributes to a row's hash. */
export const NULL_HASH = 0x9e3779b9;

/** Folds one value's hash into a row's hash; the order of columns matters, as it should. */
export function mixRow(row: number, value: number): number {
  return Math.imul(row ^ value, 0x01000193) >>> 0;
}

export function nextPow2(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

/**
 * An open-addressing set of float64 keys, reused from column to column so a profile allocates it
 * once. `add` returns whether the key was new; the count of distinct keys is `size`.
 */
export class FloatSet {
  private keys: Float64Array = new Float64Array(0);
  private used: Uint8Array = new Uint8Array(0);
  private mask = 0;
  size = 0;

  /** Empties the set, sized for up to `n` keys at a load factor of at most 1/2. */
  reset(n: number): void {
    const cap = nextPow2(n * 2);
    if (cap > this.keys.length) {
      this.keys = new Float64Array(cap);
      this.used = new Uint8Array(cap);
    } else {
      this.used.fill(0, 0, cap);
    }
    this.mask = cap - 1;
    this.size = 0;
  }

  /** Adds `v` (not NaN) whose bits hash to `h`; true when it was not there yet. */
  add(v: number, h: number): boolean {
    const keys = this.keys;
    const used = this.used;
    const mask = this.mask;
    let s = h & mask;
    while (used[s] !== 0) {
      if (keys[s] === v) return false;
      s = (s + 1) & mask;
    }
    used[s] = 1;
    keys[s] = v;
    this.size++;
    return true;
  }
}
