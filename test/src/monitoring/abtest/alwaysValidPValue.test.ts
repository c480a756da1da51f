import { test } from "node:test";
import assert from "node:assert/strict";
import { alwaysValidPValue } from "../../../../src/monitoring/abtest/alwaysValidPValue.js";
import { createRandom } from "../../../../src/models/random.js";

/** One experiment: n observations alternating between arms at random, each arm Bernoulli(p[arm]). */
function experiment(rand: () => number, n: number, p: [number, number], shareA = 0.5): { arm: Uint8Array; value: Float64Array } {
  const arm = new Uint8Array(n);
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    arm[i] = rand() < shareA ? 0 : 1;
    value[i] = rand() < p[arm[i]] ? 1 : 0;
  }
  return { arm, value };
}

/** The classical z-test's p-value, looked at after every 50 observations: the comparison the sequential test exists to fix. */
function peekingZTest(arm: Uint8Array, value: Float64Array): number {
  const n = [0, 0];
  const s = [0, 0];
  let best = 1;
  for (let i = 0; i < arm.length; i++) {
    n[arm[i]]++;
    s[arm[i]] += value[i];
    if (i % 50 !== 49 || n[0] < 30 || n[1] < 30) continue;
    const p0 = s[0] / n[0];
    const p1 = s[1] / n[1];
    const pooled = (s[0] + s[1]) / (n[0] + n[1]);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / n[0] + 1 / n[1]));
    if (se === 0) continue;
    const z = Math.abs(p1 - p0) / se;
    // Two-sided normal tail, by the complementary error function's usual approximation.
    const t = 1 / (1 + 0.3275911 * (z / Math.SQRT2));
    const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(z * z) / 2);
    best = Math.min(best, erfc);
  }
  return best;
}

test("equal arms: over 400 experiments looked at after every observation, at most about alpha declare a difference (a peeking z-test declares far more)", () => {
  const rand = createRandom(7);
  let sequential = 0;
  let peeking = 0;
  const runs = 400;
  for (let r = 0; r < runs; r++) {
    const { arm, value } = experiment(rand, 3000, [0.7, 0.7]);
    if (alwaysValidPValue(arm, value).p_value < 0.05) sequential++;
    if (peekingZTest(arm, value) < 0.05) peeking++;
  }
  assert.ok(sequential / runs <= 0.06, `the sequential test declared a difference in ${sequential} of ${runs} null experiments`);
  assert.ok(peeking > 2 * Math.max(sequential, 10), `a z-test looked at every 50 rows declared ${peeking}, the sequential test ${sequential}`);
});

test("equal arms of skewed data split 90/10 (a 95%-accurate model, a short arm often all right): still at most about alpha declare a difference", () => {
  const rand = createRandom(19);
  let declared = 0;
  const runs = 300;
  for (let r = 0; r < runs; r++) {
    const { arm, value } = experiment(rand, 3000, [0.95, 0.95], 0.9);
    if (alwaysValidPValue(arm, value).p_value < 0.05) declared++;
  }
  assert.ok(declared / runs <= 0.06, `the sequential test declared a difference in ${declared} of ${runs} null experiments`);
});

test("a clearly better arm is found: 0.9 against 0.7 correct is significant within 600 observations, with the sign of the difference", () => {
  const rand = createRandom(11);
  const { arm, value } = experiment(rand, 600, [0.7, 0.9]);
  const r = alwaysValidPValue(arm, value);
  assert.ok(r.p_value < 0.01, `p = ${r.p_value}`);
  assert.ok(r.difference > 0.1 && r.difference < 0.3, `difference ${r.difference}`);
  assert.equal(r.n[0] + r.n[1], 600);
});

test("the p-value is the running minimum: more data never raises it, and before the burn-in it is 1", () => {
  const rand = createRandom(3);
  const { arm, value } = experiment(rand, 2000, [0.6, 0.75]);
  let last = 1;
  for (const n of [20, 100, 300, 600, 1000, 2000]) {
    const p = alwaysValidPValue(arm.subarray(0, n), value.subarray(0, n)).p_value;
    if (n === 20) assert.equal(p, 1);
    assert.ok(p <= last, `p rose from ${last} to ${p} at n = ${n}`);
    last = p;
  }
});

test("constant arms: different constants are a difference beyond doubt, equal ones say nothing", () => {
  const arm = Uint8Array.from({ length: 100 }, (_, i) => i % 2);
  assert.equal(
    alwaysValidPValue(
      arm,
      Float64Array.from(arm, (a) => a),
    ).p_value < 1e-9,
    true,
  );
  assert.equal(alwaysValidPValue(arm, new Float64Array(100).fill(1)).p_value, 1);
});
