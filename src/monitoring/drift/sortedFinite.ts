/**
 * A sorted copy of `values` without NaN and ±Infinity (Evidently drops them with the nulls); the
 * input is left alone. An LSD radix sort on the IEEE-754 bits: each number mapped to an unsigned
 * 64-bit key that orders as the number does, all eight byte histograms counted in one read, then
 * one stable scatter per byte, skipping a byte every key shares (the sign and top exponent bits of
 * most columns). Faster than Float64Array.prototype.sort on a million values (~110 against ~140 ms
 * on a busy 2-core machine, ~45 against ~120 on a quiet one), which matters when every column of
 * both sides is sorted. -0 sorts before +0, as the built-in sort puts it; they compare equal after.
 */
export function sortedFinite(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n);
  if (n === values.length) out.set(values);
  else {
    let k = 0;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[k++] = values[i];
  }
  if (n < 256) return out.sort();
  // Little-endian words: [low, high] per number. Keys: negative numbers have every bit flipped,
  // the others only the sign bit, so unsigned order is numeric order.
  let words: Uint32Array = new Uint32Array(out.buffer);
  const counts = new Uint32Array(8 * 256);
  for (let i = 0; i < n; i++) {
    let lo = words[2 * i];
    let hi = words[2 * i + 1];
    if (hi & 0x80000000) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
    counts[lo & 0xff]++;
    counts[256 + ((lo >>> 8) & 0xff)]++;
    counts[512 + ((lo >>> 16) & 0xff)]++;
    counts[768 + (lo >>> 24)]++;
    counts[1024 + (hi & 0xff)]++;
    counts[1280 + ((hi >>> 8) & 0xff)]++;
    counts[1536 + ((hi >>> 16) & 0xff)]++;
    counts[1792 + (hi >>> 24)]++;
  }
  const sorted = words;
  let spare: Uint32Array = scratch(2 * n);
  for (let pass = 0; pass < 8; pass++) {
    const base = pass * 256;
    const word = pass >> 2;
    const shift = (pass & 3) * 8;
    let shared = false;
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const c = counts[base + d];
      if (c === n) shared = true;
      counts[base + d] = sum;
      sum += c;
    }
    if (shared) continue;
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i];
      const hi = words[2 * i + 1];
      const at = counts[base + (((word ? hi : lo) >>> shift) & 0xff)]++;
      spare[2 * at] = lo;
      spare[2 * at + 1] = hi;
    }
    [words, spare] = [spare, words];
  }
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if (hi & 0x80000000) words[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    else {
      words[2 * i] = ~words[2 * i] >>> 0;
      words[2 * i + 1] = ~hi >>> 0;
    }
  }
  if (words !== sorted) sorted.set(words);
  return out;
}

/**
 * The radix sort's second buffer, kept between sorts (a drift check sorts dozens of columns of
 * the same length in a row) and left to the garbage collector once unused: a new 16 MB buffer
 * per million values cost page faults and collections.
 */
let spareRef: WeakRef<Uint32Array> | undefined;

function scratch(length: number): Uint32Array {
  const held = spareRef?.deref();
  if (held && held.length >= length) return held.subarray(0, length);
  const fresh = new Uint32Array(length);
  spareRef = new WeakRef(fresh);
  return fresh;
}
