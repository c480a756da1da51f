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
