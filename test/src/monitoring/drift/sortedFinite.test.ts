import assert from "node:assert/strict";
import { test } from "node:test";
import { sortedFinite } from "../../../../src/monitoring/drift/sortedFinite.js";

// The radix sort must order exactly as Float64Array.prototype.sort does (-0 before +0), minus the
// non-finite values, on every sign, magnitude and tie pattern.
test("sortedFinite orders as the built-in sort and drops NaN and ±Infinity", () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (const n of [0, 1, 255, 256, 5000, 70000]) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = random();
      values[i] =
        r < 0.1
          ? 0
          : r < 0.15
            ? -0
            : r < 0.2
              ? Number.NaN
              : r < 0.22
                ? Number.POSITIVE_INFINITY
                : r < 0.24
                  ? -Number.MAX_VALUE
                  : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
    }
    const before = values.slice();
    const sorted = sortedFinite(values);
    const expected = values.filter(Number.isFinite).sort();
    assert.equal(sorted.length, expected.length);
    for (let i = 0; i < expected.length; i++) assert.ok(Object.is(sorted[i], expected[i]), `n=${n} at ${i}: ${sorted[i]} vs ${expected[i]}`);
    assert.deepEqual(values, before);
  }
});
