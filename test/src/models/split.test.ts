import { test } from "node:test";
import assert from "node:assert/strict";
import { holdoutSplit, kFoldSplits, shuffledRows } from "../../../src/models/split.js";

test("k-fold: contiguous test slices of ⌊f·n/k⌋..⌊(f+1)·n/k⌋ that cover every row once, trained on the rest in order", () => {
  const rows = Int32Array.from([10, 11, 12, 13, 14, 15, 16]);
  const folds = kFoldSplits(rows, 3);
  assert.deepEqual(
    folds.map((f) => [[...f.test], [...f.train]]),
    [
      [
        [10, 11],
        [12, 13, 14, 15, 16],
      ],
      [
        [12, 13],
        [10, 11, 14, 15, 16],
      ],
      [
        [14, 15, 16],
        [10, 11, 12, 13],
      ],
    ],
  );
});

test("holdout: the last round(n · test_size) rows, at least one, are the test rows", () => {
  const rows = Int32Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual([...holdoutSplit(rows, 0.25).test], [7, 8, 9]); // round(2.5) = 3
  assert.deepEqual([...holdoutSplit(rows, 0.25).train], [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...holdoutSplit(rows, 0.01).test], [9]);
});

test("shuffled rows: a permutation of the rows given, the same for the same seed, another for another seed", () => {
  const keep = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];
  const a = shuffledRows(keep, 42);
  assert.deepEqual(
    [...a].sort((x, y) => x - y),
    keep,
  );
  assert.deepEqual([...shuffledRows(keep, 42)], [...a]);
  assert.notDeepEqual([...shuffledRows(keep, 43)], [...a]);
});
