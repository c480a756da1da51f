import { test } from "node:test";
import assert from "node:assert/strict";
import { fillTypedNumbers } from "../../../src/models/fillTypedNumbers.js";
import { BLOCK_ROWS, fitLinearInBlocks } from "../../../src/models/fitLinearInBlocks.js";
import { fitLinear } from "../../../src/models/linearRegression.js";
import { createRandom } from "../../../src/models/random.js";
import { shuffledRows } from "../../../src/models/split.js";
import { windowedRowFill } from "../../../src/models/windowedRowFill.js";

const TOTAL = 30_011;
const P = 5;

/** Five dataset columns with missing values, training rows a shuffled subset, and each column's step (impute, and for some a standardisation). */
function setup() {
  const rand = createRandom(5);
  const columns = Array.from({ length: P }, (_, j) =>
    Float64Array.from({ length: TOTAL }, (_, r) => (r % (7 + j) === 0 ? Number.NaN : (rand() - 0.5) * 10 ** j)),
  );
  const keep = Int32Array.from({ length: TOTAL }, (_, r) => r).filter((r) => r % 13 !== 0);
  const rows = Int32Array.from(shuffledRows(keep, 42).slice(0, 20_000));
  const targets = columns.map((_, j) => ({ column: String(j), j: (j + 2) % P, impute: j * 0.25, mean: j % 2 ? 0 : j - 1, std: j % 2 ? 1 : 3 + j }));
  const y = Float64Array.from(rows, (r, i) => i * 0.001 + (r % 17));
  return { columns, rows, targets, y };
}

test("windowedRowFill writes, block by block, exactly the matrix fillTypedNumbers builds for the same rows, across window edges", () => {
  const { columns, rows, targets } = setup();
  const n = rows.length;
  const whole = new Float64Array(n * P);
  assert.equal(fillTypedNumbers(targets, n, P, { numbers: (c) => ({ values: columns[Number(c)], rows }) }, whole).size, P);
  // A window of 5,000 rows (not a multiple of the block): blocks straddle its edges and refill it.
  const fill = windowedRowFill(targets, columns, rows, P, 5000 * 8 * P);
  const block = new Float64Array(BLOCK_ROWS * P);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    fill(start, count, block);
    for (let v = 0; v < count * P; v++) assert.ok(Object.is(block[v], whole[start * P + v]), `row ${start + Math.floor(v / P)}, column ${v % P}`);
  }
});

test("fitLinearInBlocks over windowedRowFill fits what fitLinear fits on the built matrix, to the bit; an infinite value throws", () => {
  const { columns, rows, targets, y } = setup();
  const n = rows.length;
  const whole = new Float64Array(n * P);
  fillTypedNumbers(targets, n, P, { numbers: (c) => ({ values: columns[Number(c)], rows }) }, whole);
  const expected = fitLinear(whole, y, n, P, 0.25);
  const fit = fitLinearInBlocks(windowedRowFill(targets, columns, rows, P, 7000 * 8 * P), y, n, P, 0.25);
  assert.deepEqual(fit, expected);
  columns[2][rows[19_000]] = Number.POSITIVE_INFINITY;
  assert.throws(() => fitLinearInBlocks(windowedRowFill(targets, columns, rows, P, 7000 * 8 * P), y, n, P), /infinite/);
});
