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
 * An open-addressing set of float64 keys (NaN marks an empty slot, since NaN is never a key),
 * reused from column to column. It starts small and doubles at half full, so a column of a few
 * thousand distinct values probes a table that stays in cache instead of one sized for every row.
 */
export class FloatSet {
  private keys: Float64Array = new Float64Array(0);
  private mask = 0;
  size = 0;

  reset(): void {
    if (this.keys.length !== 4096) this.keys = new Float64Array(4096);
    this.keys.fill(NaN);
    this.mask = this.keys.length - 1;
    this.size = 0;
  }

  /** Adds `v` (not NaN) whose bits hash to `h`; true when it was not there yet. */
  add(v: number, h: number): boolean {
    const keys = this.keys;
    const mask = this.mask;
    let s = h & mask;
    for (let k = keys[s]; k === k; k = keys[s]) {
      if (k === v) return false;
      s = (s + 1) & mask;
    }
    keys[s] = v;
    if (++this.size * 2 > keys.length) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.keys;
    const keys = new Float64Array(old.length * 2).fill(NaN);
    const mask = keys.length - 1;
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    for (let i = 0; i < old.length; i++) {
      const v = old[i];
      if (v !== v) continue;
      f[0] = v;
      let s = (v === 0 ? hashFloatBits(0, 0) : hashFloatBits(u[0], u[1])) & mask;
      while (keys[s] === keys[s]) s = (s + 1) & mask;
      keys[s] = v;
    }
    this.keys = keys;
    this.mask = mask;
  }
}
