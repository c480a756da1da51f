import { shuffledIndices } from "./random.js";

/**
 * How dw splits rows for validation, written once (scikit-learn's model_selection): the rows are
 * shuffled with the seed, then a holdout takes the last share of them as test rows and k-fold
 * takes contiguous slices. train_model and select_model split with it, and evaluate_model and
 * explain_model draw a run's held-out rows again with it from the run's seed (runs/readEvaluationRows.ts).
 */

/** One split: dataset row indices to fit on and to score on. */
export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/**
 * `rows` in a seeded random order: the same rows and seed give the same order on every machine.
 *
 * @example
 * shuffledRows([3, 5, 8], 42); // e.g. Int32Array [8, 3, 5]
 */
export function shuffledRows(rows: ArrayLike<number>, seed: number): Int32Array {
  const order = shuffledIndices(rows.length, seed);
  // A plain loop: Int32Array.from with a map callback cost 0.14–0.7 s per million rows.
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = rows[order[i]];
  return out;
}

/**
 * A holdout split of shuffled rows: the last round(n · testSize) rows (at least one) are the test
 * rows, the rest the training rows (scikit-learn's train_test_split, without stratification).
 */
export function holdoutSplit(shuffled: Int32Array, testSize: number): Split {
  const nTrain = shuffled.length - Math.max(1, Math.round(shuffled.length * testSize));
  return { train: shuffled.slice(0, nTrain), test: shuffled.slice(nTrain) };
}

/**
 * The rows train_model's final model is fitted on (fitAndEvaluate's rule): the rows with a target
 * shuffled with the seed, then all of them for k folds, or the holdout's training share. The threads
 * that work ahead of the fit (the column statistics, the staged matrix) foresee them by this rule.
 */
export function fittedRows(keep: ArrayLike<number>, split: { seed: number; testSize: number; cvFolds?: number }): Int32Array {
  const shuffled = shuffledRows(keep, split.seed);
  return split.cvFolds !== undefined ? shuffled : holdoutSplit(shuffled, split.testSize).train;
}

/**
 * k-fold splits of shuffled rows (scikit-learn's KFold): fold f tests on the contiguous slice
 * [⌊f·n/k⌋, ⌊(f+1)·n/k⌋) and trains on the rest, in order.
 */
export function kFoldSplits(shuffled: Int32Array, k: number): Split[] {
  const n = shuffled.length;
  return Array.from({ length: k }, (_, f) => {
    const lo = Math.floor((f * n) / k);
    const hi = Math.floor(((f + 1) * n) / k);
    const train = new Int32Array(n - (hi - lo));
    train.set(shuffled.subarray(0, lo));
    train.set(shuffled.subarray(hi), lo);
    return { train, test: shuffled.slice(lo, hi) };
  });
}
