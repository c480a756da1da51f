import { test } from "node:test";
import assert from "node:assert/strict";
import { discretizeNumbers } from "../../../src/models/dependence.js";
import { createRandom } from "../../../src/models/random.js";

/** The definition, written plainly: equal-frequency cuts at the sorted present values' i/bins positions. */
function plainCodes(values: Float64Array, bins: number): number[] {
  const present = [...values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const distinct = present.filter((v, i) => i === 0 || v !== present[i - 1]);
  const cuts: number[] = [];
  if (distinct.length <= bins) cuts.push(...distinct.slice(1));
  else
    for (let b = 1; b < bins; b++) {
      const c = present[Math.floor((present.length * b) / bins)];
      if (c > present[0] && (cuts.length === 0 || c > cuts[cuts.length - 1])) cuts.push(c);
    }
  return [...values].map((v) => (Number.isNaN(v) ? cuts.length + 1 : cuts.filter((c) => c <= v).length));
}

/** Codes as a partition of the rows (discretizeNumbers renumbers the codes it uses densely). */
function partition(codes: ArrayLike<number>): number[] {
  const first = new Map<number, number>();
  return Array.from(codes, (c) => {
    if (!first.has(c)) first.set(c, first.size);
    return first.get(c)!;
  });
}

test("numbers are binned as the plain definition bins them: ties, -0 and 0, NaN, infinities, few and many distinct values", () => {
  const rand = createRandom(7);
  const shapes: [string, () => number][] = [
    ["continuous", () => rand() * 100 - 50],
    ["ties", () => Math.floor(rand() * 7)],
    ["zeros of both signs and NaN", () => [0, -0, NaN, 1, -1][Math.floor(rand() * 5)]],
    ["heavy zero", () => (rand() < 0.6 ? 0 : rand())],
    ["infinities", () => (rand() < 0.1 ? (rand() < 0.5 ? Infinity : -Infinity) : rand())],
  ];
  for (const [name, draw] of shapes) {
    for (const n of [5, 300, 50_000]) {
      const values = Float64Array.from({ length: n }, draw);
      for (const bins of [2, 10, 20]) {
        const got = discretizeNumbers(values, bins);
        assert.deepEqual(partition(got.codes), partition(plainCodes(values, bins)), `${name}, ${n} rows, ${bins} bins`);
      }
    }
  }
});
