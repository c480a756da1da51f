/**
 * Classification metrics as scikit-learn defines them. Labels are class indices 0..K-1
 * (`ArrayLike<number>`, usually an Int32Array); the caller maps its own labels to indices.
 * Probabilities are row-major n × K (a Float64Array, class k of row i at `i * K + k`).
 *
 * Where scikit-learn would warn about a zero division (precision with no predicted positives,
 * recall with no true positives) the value is 0, as scikit-learn's default `zero_division` gives.
 */

export type Average = "binary" | "macro" | "weighted" | "micro";

/** sklearn.metrics.accuracy_score. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/**
 * sklearn.metrics.confusion_matrix with `labels = 0..nClasses-1`: rows are true classes,
 * columns predicted classes.
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  checkSameLength(yTrue, yPred);
  const m: number[][] = [];
  for (let k = 0; k < nClasses; k++) m.push(new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < nClasses && p >= 0 && p < nClasses)) {
      throw new RangeError(`confusionMatrix: row ${i} has label ${t} / prediction ${p} outside 0..${nClasses - 1}`);
    }
    m[t][p]++;
  }
  return m;
}

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * sklearn.metrics precision_score / recall_score / f1_score. `average: "binary"` scores class
 * `posLabel` (default 1) alone; "macro" is the unweighted mean over classes, "weighted" the mean
 * weighted by each class's true count, "micro" from global counts. The classes are
 * 0..nClasses-1 (default: the largest label seen + 1), like passing `labels=` to scikit-learn:
 * pass the number of classes of the model so that a class absent from both arrays still counts
 * (with precision = recall = F1 = 0), or leave it out to match scikit-learn's default of the
 * labels present.
 */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: { average?: Average; posLabel?: number; nClasses?: number } = {},
): PrecisionRecallF1 {
  checkSameLength(yTrue, yPred);
  const average = options.average ?? "binary";
  let K = options.nClasses ?? 0;
  if (options.nClasses === undefined) for (let i = 0; i < yTrue.length; i++) K = Math.max(K, yTrue[i] + 1, yPred[i] + 1);
  const tp = new Float64Array(K);
  const predCount = new Float64Array(K);
  const trueCount = new Float64Array(K);
  for (let i = 0; i < yTrue.length; i++) {
    trueCount[yTrue[i]]++;
    predCount[yPred[i]]++;
    if (yTrue[i] === yPred[i]) tp[yTrue[i]]++;
  }
  const score = (t: number, p: number, c: number): PrecisionRecallF1 => {
    const precision = p === 0 ? 0 : t / p;
    const recall = c === 0 ? 0 : t / c;
    // scikit-learn computes F1 as 2·tp / (2·tp + fp + fn), which is 0 when tp = 0.
    const denom = p + c;
    const f1 = denom === 0 ? 0 : (2 * t) / denom;
    return { precision, recall, f1 };
  };
  if (average === "binary") {
    const pos = options.posLabel ?? 1;
    if (pos >= K) return { precision: 0, recall: 0, f1: 0 };
    return score(tp[pos], predCount[pos], trueCount[pos]);
  }
  if (average === "micro") {
    let t = 0;
    for (let k = 0; k < K; k++) t += tp[k];
    return score(t, yTrue.length, yTrue.length);
  }
  // With no `labels=`, scikit-learn averages over the labels present in y_true or y_pred.
  const present: number[] = [];
  for (let k = 0; k < K; k++) if (options.nClasses !== undefined || trueCount[k] > 0 || predCount[k] > 0) present.push(k);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let totalWeight = 0;
  for (const k of present) {
    const s = score(tp[k], predCount[k], trueCount[k]);
    const w = average === "weighted" ? trueCount[k] : 1;
    precision += w * s.precision;
    recall += w * s.recall;
    f1 += w * s.f1;
    totalWeight += w;
  }
  if (totalWeight === 0) return { precision: 0, recall: 0, f1: 0 };
  return { precision: precision / totalWeight, recall: recall / totalWeight, f1: f1 / totalWeight };
}

/**
 * sklearn.metrics.roc_auc_score for a binary target (`yTrue` in {0, 1}) and a score per row that
 * is larger for class 1. Computed as the Mann–Whitney statistic with ties counted as one half,
 * which is the trapezoidal area under the ROC curve scikit-learn integrates.
 */
export function rocAucBinary(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  checkSameLength(yTrue, score);
  const n = yTrue.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a] - score[b]);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new RangeError("rocAucBinary: only one class is present in yTrue; ROC AUC is not defined");
  }
  // Sum, over positives, of the number of negatives scored below (+ half the tied ones).
  let negBelow = 0;
  let u = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    let pos = 0;
    let neg = 0;
    while (j < n && score[order[j]] === score[order[i]]) {
      if (yTrue[order[j]] === 1) pos++;
      else neg++;
      j++;
    }
    u += pos * (negBelow + neg / 2);
    negBelow += neg;
    i = j;
  }
  return u / (nPos * nNeg);
}

/**
 * sklearn.metrics.roc_auc_score(multi_class="ovr", average="macro") on an n × K probability
 * matrix: the unweighted mean of the one-vs-rest AUC of each class. With K = 2 it is the binary
 * AUC of column 1, as scikit-learn computes it.
 */
export function rocAucOvr(yTrue: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number): number {
  const n = yTrue.length;
  if (proba.length !== n * nClasses) throw new RangeError(`rocAucOvr: expected ${n * nClasses} probabilities, got ${proba.length}`);
  const col = new Float64Array(n);
  const bin = new Int32Array(n);
  if (nClasses === 2) {
    for (let i = 0; i < n; i++) col[i] = proba[i * 2 + 1];
    return rocAucBinary(yTrue, col);
  }
  let sum = 0;
  for (let k = 0; k < nClasses; k++) {
    for (let i = 0; i < n; i++) {
      col[i] = proba[i * nClasses + k];
      bin[i] = yTrue[i] === k ? 1 : 0;
    }
    sum += rocAucBinary(bin, col);
  }
  return sum / nClasses;
}

/**
 * sklearn.metrics.log_loss on an n × K probability matrix: probabilities are clipped to
 * [eps, 1 − eps] with eps = 2^-52, as scikit-learn does for float64 input, and not renormalised.
 */
export function logLoss(yTrue: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number): number {
  const n = yTrue.length;
  if (proba.length !== n * nClasses) throw new RangeError(`logLoss: expected ${n * nClasses} probabilities, got ${proba.length}`);
  const eps = Number.EPSILON;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(proba[i * nClasses + yTrue[i]], eps), 1 - eps);
    s -= Math.log(p);
  }
  return s / n;
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`metrics: ${a.length} true labels but ${b.length} predictions`);
  if (a.length === 0) throw new RangeError("metrics: no rows to score");
}
