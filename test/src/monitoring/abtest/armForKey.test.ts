import { test } from "node:test";
import assert from "node:assert/strict";
import { armForKey, cumulativeShares } from "../../../../src/monitoring/abtest/armForKey.js";

test("the same key always gets the same arm, and the weights set the shares (1:3 → 25% / 75% within a point over 100,000 keys)", () => {
  const cum = cumulativeShares([1, 3]);
  const counts = [0, 0];
  for (let i = 0; i < 100_000; i++) {
    const a = armForKey(cum, "m@production 2026-01-01T00:00:00.000Z", `user-${i}`);
    counts[a]++;
    if (i % 1000 === 0) assert.equal(armForKey(cum, "m@production 2026-01-01T00:00:00.000Z", `user-${i}`), a);
  }
  assert.ok(Math.abs(counts[0] / 100_000 - 0.25) < 0.01, `arm 0 got ${counts[0]}`);
});

test("three arms by weight, and another test (salt) assigns keys independently", () => {
  const cum = cumulativeShares([2, 1, 1]);
  const counts = [0, 0, 0];
  let same = 0;
  for (let i = 0; i < 60_000; i++) {
    const a = armForKey(cum, "salt-a", String(i));
    counts[a]++;
    if (a === armForKey(cum, "salt-b", String(i))) same++;
  }
  assert.deepEqual(
    counts.map((c) => Math.round((c / 60_000) * 100)),
    [50, 25, 25],
  );
  // Independent assignment agrees with probability 0.5² + 0.25² + 0.25² = 0.375.
  assert.ok(Math.abs(same / 60_000 - 0.375) < 0.01, `agreement ${same / 60_000}`);
});

test("a change of weights moves only the keys in the slices that moved", () => {
  const before = cumulativeShares([1, 1]);
  const after = cumulativeShares([3, 1]);
  let moved = 0;
  for (let i = 0; i < 40_000; i++) {
    const a = armForKey(before, "s", `k${i}`);
    const b = armForKey(after, "s", `k${i}`);
    if (a !== b) {
      moved++;
      assert.equal(a, 1, "only keys of the arm that shrank move");
    }
  }
  assert.ok(Math.abs(moved / 40_000 - 0.25) < 0.01, `moved ${moved}`);
});
