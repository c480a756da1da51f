import { test } from "node:test";
import assert from "node:assert/strict";
import { blockMeans, fitLinearInBlocks, type FillRows } from "../../../src/models/fitLinearInBlocks.js";
import { fitLinear } from "../../../src/models/linearRegression.js";
import { createRandom } from "../../../src/models/random.js";

/** A fill reading the rows of a built row-major matrix: what fitLinearInBlocks must fit exactly as fitLinear fits the matrix. */
const fillFrom =
  (X: Float64Array, p: number): FillRows =>
  (start, count, out) =>
    out.set(X.subarray(start * p, (start + count) * p));

function problem(n: number, p: number, seed: number, collinear = false): { X: Float64Array; y: Float64Array } {
  const rand = createRandom(seed);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) {
      // Values of very different sizes, so that any change in the order of a sum shows in the last bits.
      const v = collinear && j === p - 1 ? 2 * X[i * p] : (rand() - 0.5) * 10 ** ((j % 5) - 2);
      X[i * p + j] = v;
      s += (j + 1) * v;
    }
    y[i] = s + rand() * 1e-3 + 1e6;
  }
  return { X, y };
}

test("fitLinearInBlocks fits exactly what fitLinear fits on the whole matrix, to the bit, at block edges, with a ridge penalty and when the system is singular", () => {
  const cases: [number, number, number, boolean][] = [
    [1, 1, 0, false],
    [3, 2, 0, false],
    [4095, 3, 0, false],
    [4096, 19, 0, false],
    [4097, 19, 1.5, false],
    [12_289, 7, 0, false],
    [9000, 4, 0, true], // the last column is twice the first: Cholesky fails, SVD's minimum-norm answer
  ];
  for (const [n, p, l2, collinear] of cases) {
    const { X, y } = problem(n, p, n + p, collinear);
    const whole = fitLinear(X, y, n, p, l2);
    const blocks = fitLinearInBlocks(fillFrom(X, p), y, n, p, l2);
    assert.ok(Object.is(blocks.intercept, whole.intercept), `${n}×${p}: intercept ${blocks.intercept} vs ${whole.intercept}`);
    for (let j = 0; j < p; j++) assert.ok(Object.is(blocks.coefficients[j], whole.coefficients[j]), `${n}×${p}: coefficient ${j}`);
    // The means run ahead (as the fit worker runs them while the gates run) give the same fit.
    const means = blockMeans(fillFrom(X, p), y, n, p);
    assert.ok(means);
    assert.deepEqual(fitLinearInBlocks(fillFrom(X, p), y, n, p, l2, means), whole);
  }
});

test("an infinite feature value stops the blocks' first pass (the caller then builds the matrix and raises transform's error)", () => {
  const { X, y } = problem(5000, 3, 9);
  X[4500 * 3 + 1] = Number.NEGATIVE_INFINITY;
  assert.equal(blockMeans(fillFrom(X, 3), y, 5000, 3), undefined);
  assert.throws(() => fitLinearInBlocks(fillFrom(X, 3), y, 5000, 3), /infinite/);
});
