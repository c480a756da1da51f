import { test } from "node:test";
import assert from "node:assert/strict";
import { profileNumbers } from "../../../src/quality/profile/profileNumbers.js";
import { distinctScratch } from "../../../src/quality/profile/distinctFloats.js";
import { hashFloatBits } from "../../../src/quality/profile/hash.js";
import { createRandom } from "../../../src/models/random.js";

/** Distinct non-missing values as JavaScript's Set counts them (SameValueZero: -0 is 0, NaN left out). */
function setCount(values: Float64Array): number {
  return new Set(Array.from(values).filter((v) => !Number.isNaN(v))).size;
}

function distinctOf(values: Float64Array): number {
  return profileNumbers(values, distinctScratch(values.length), new Uint32Array(values.length)).distinct;
}

test("distinct counts are exact over partitions: repeats, -0 and 0, NaN, few and many values, sorted or not", () => {
  const rand = createRandom(7);
  for (const [n, spread] of [
    [10, 3],
    [5_000, 2],
    [50_000, 1_000],
    [300_000, 1e9],
    [300_000, 40_000],
  ]) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rand();
      v[i] = r < 0.05 ? NaN : r < 0.1 ? -0 : r < 0.15 ? 0 : Math.floor(rand() * spread) / 7;
    }
    assert.equal(distinctOf(v), setCount(v), `n ${n}, spread ${spread}`);
  }
  const rising = Float64Array.from({ length: 20_000 }, (_, i) => Math.floor(i / 3));
  assert.equal(distinctOf(rising), setCount(rising));
});

test("values crafted to share one hash are still counted exactly (the partition falls back to sorting)", () => {
  const C1 = 0xcc9e2d51;
  // The inverse of C1 modulo 2^32 (Newton's iteration), so a low word can be solved for any hash input.
  let inv = C1;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(C1, inv));
  assert.equal(Math.imul(C1, inv) >>> 0, 1);
  const target = 0x12345678;
  const n = 3_000;
  const bits = new Uint32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const hi = 0x3ff00000 + (k % 1000);
    bits[2 * k] = Math.imul((target ^ hi) >>> 0, inv) >>> 0;
    bits[2 * k + 1] = hi;
  }
  const values = new Float64Array(bits.buffer);
  const h0 = hashFloatBits(bits[0], bits[1]);
  for (let k = 0; k < n; k++) assert.equal(hashFloatBits(bits[2 * k], bits[2 * k + 1]), h0, "every value hashes alike");
  // Shuffle-free but not sorted: the values repeat every 1,000, so the column is not monotone.
  assert.equal(distinctOf(values), 1000);
  assert.equal(setCount(values), 1000);
});
