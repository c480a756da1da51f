import { test } from "node:test";
import assert from "node:assert/strict";
import { createRandom } from "../../../../src/models/random.js";
import { roundSignificant } from "../../../../src/monitoring/reference/roundSignificant.js";

// The drift sample's bytes depend on it: every value must come out as Number(v.toPrecision(d)), to the bit.
const same = (v: number, digits: number) => {
  const want = Number(v.toPrecision(digits));
  assert.ok(Object.is(roundSignificant(v, digits), want), `${v} at ${digits} digits: got ${roundSignificant(v, digits)}, toPrecision gives ${want}`);
};

test("roundSignificant gives toPrecision's number for short decimals, the shortcut's own cases", () => {
  const rand = createRandom(7);
  for (let i = 0; i < 200_000; i++) {
    const places = Math.floor(rand() * 7);
    const whole = Math.floor(rand() * 10 ** Math.floor(rand() * 9));
    const v = (rand() < 0.3 ? -1 : 1) * (whole / 10 ** places);
    for (const d of [1, 3, 6, 10]) same(v, d);
  }
});

test("roundSignificant gives toPrecision's number for full-precision doubles of every magnitude", () => {
  const rand = createRandom(8);
  for (let i = 0; i < 200_000; i++) {
    const v = (rand() < 0.5 ? -1 : 1) * rand() * 10 ** Math.floor(rand() * 40 - 20);
    for (const d of [1, 6, 15]) same(v, d);
  }
});

test("roundSignificant at the edges: carries into a new digit, halves, zeros, extremes", () => {
  const edge = [
    999999.5,
    999999.4,
    99999.95,
    9999.995,
    1234567,
    123456.7,
    1000000,
    999999,
    0.5,
    0.05,
    0.15,
    2.5,
    1.005,
    0.0001234,
    1e-7,
    1e21,
    1e22,
    5e-324,
    2.2250738585072014e-308,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER,
    Infinity,
    -Infinity,
    0.1 + 0.2,
    4503599627370495.5,
  ];
  for (const v of edge) {
    for (const d of [1, 2, 6, 15]) {
      same(v, d);
      same(-v, d);
    }
  }
  // toPrecision writes -0 as "0.00000", which reads back as +0.
  assert.ok(Object.is(roundSignificant(-0, 6), 0));
  assert.ok(Object.is(roundSignificant(0, 6), 0));
});
