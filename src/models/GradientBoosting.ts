import { z } from "zod";
import { mean } from "../data/statistics.js";
import { applyBins, computeBinThresholds } from "./binFeatures.js";
import { checkFeatureMatrix, type FeatureMatrix } from "./FeatureMatrix.js";
import { checkTarget, FittedTrees } from "./FittedTrees.js";
import { FiniteNumber, FiniteNumbers, listOf, parseFitted, wholeNumber } from "./fittedJson.js";
import { growTree } from "./growTree.js";
import { HistHelper } from "./histogram.js";
import { createRandom, shuffledIndices } from "./random.js";
import { addTreePrediction, compileTree, fittedTree, treesIssue, TreeJson, type CompiledTree } from "./treeModel.js";

/** Options named as scikit-learn's HistGradientBoosting* ones, in camelCase, with the same defaults. */
export interface GradientBoostingOptions {
  task: "classification" | "regression";
  learningRate?: number;
  /** Boosting iterations (each adds one tree, or one per class for multiclass). Default 100. */
  maxIter?: number;
  /** Leaves per tree, grown best-first (default 31; null for no limit). */
  maxLeafNodes?: number | null;
  maxDepth?: number | null;
  minSamplesLeaf?: number;
  l2Regularization?: number;
  maxBins?: number;
  /** "auto" (default): on when there are more than 10,000 rows, as in scikit-learn. */
  earlyStopping?: "auto" | boolean;
  validationFraction?: number;
  nIterNoChange?: number;
  tol?: number;
  seed?: number;
  nClasses?: number;
  /**
   * Called before each boosting iteration; when it returns true (after at least one iteration),
   * fitting ends and the model keeps the iterations built so far, with `stoppedEarly: true`.
   */
  shouldStop?: () => boolean;
  /**
   * Threads to fit on: 2 builds half the features' histograms of fits on many rows on a second
   * thread too (where the machine has two cores or more); 1 keeps the fit on the caller's thread.
   * Default: 2, unless DW_FIT_THREADS is set below 2. A hand-over the second thread has not
   * claimed by the time the fit's thread is done with its own half is taken back and run there,
   * so a busy machine (where the second thread waits for a core) costs little, and the fit
   * gets two threads' share of the cores (see docs/performance.md, "Boosting"). The model is the
   * same bits either way. Not saved.
   */
  threads?: 1 | 2;
}

/** Fits on fewer cells (rows × features) than this stay on one thread: starting a second costs more than it saves. */
const THREAD_MIN_CELLS = 200_000;

/**
 * `toJSON()` of a fitted GradientBoosting: plain numbers, nothing executable. The schema checks a
 * model read from anywhere before it is used: the loss against task and class count, one baseline
 * per output, nOutputs trees per iteration, and every tree (see treesIssue). Keys in the order
 * the fit writes them, as model.json keeps them.
 */
export const GradientBoostingJson = z
  .object({
    algorithm: z.literal("gradient_boosting"),
    task: z.enum(["classification", "regression"]),
    /** "squared_error" (regression), "log_loss" (binary: one raw score, sigmoid) or "log_loss_multiclass" (one raw score per class, softmax). */
    loss: z.enum(["squared_error", "log_loss", "log_loss_multiclass"]),
    nFeatures: wholeNumber(1),
    nClasses: wholeNumber(0),
    /** Raw scores per output before any tree. */
    baseline: FiniteNumbers,
    /** nOutputs trees per iteration, iteration-major; leaf values already include the learning rate. */
    trees: listOf(TreeJson),
    nIter: wholeNumber(0),
    options: z.object({
      learningRate: FiniteNumber,
      maxIter: FiniteNumber,
      maxLeafNodes: FiniteNumber.nullable(),
      maxDepth: FiniteNumber.nullable(),
      minSamplesLeaf: FiniteNumber,
      l2Regularization: FiniteNumber,
      maxBins: FiniteNumber,
      earlyStopping: z.union([z.literal("auto"), z.boolean()]),
      validationFraction: FiniteNumber,
      nIterNoChange: FiniteNumber,
      tol: FiniteNumber,
      seed: FiniteNumber,
    }),
    /**
     * Validation loss after 0..nIter iterations when early stopping was on. A record of the fit,
     * unused by predictions: a loss that overflowed is written as null, as JSON writes Infinity.
     */
    validationLoss: listOf(z.number().nullable()),
    /**
     * True when the fit options' `shouldStop` ended fitting before maxIter (validation early
     * stopping does not set it). Absent in models saved before the field existed.
     */
    stoppedEarly: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    const loss = m.task === "regression" ? "squared_error" : m.nClasses === 2 ? "log_loss" : "log_loss_multiclass";
    if (m.task === "regression" ? m.nClasses !== 0 : m.nClasses < 2) {
      ctx.addIssue({
        code: "custom",
        continue: false,
        path: ["nClasses"],
        message: m.task === "regression" ? "expected 0 for a regression" : "a classifier has at least 2 classes",
      });
      return;
    }
    if (m.loss !== loss) {
      ctx.addIssue({
        code: "custom",
        continue: false,
        path: ["loss"],
        message: `expected "${loss}" for a ${m.task === "regression" ? "regression" : `${m.nClasses}-class classifier`}`,
      });
      return;
    }
    const K = loss === "log_loss_multiclass" ? m.nClasses : 1;
    if (m.baseline.length !== K) {
      ctx.addIssue({ code: "custom", continue: false, path: ["baseline"], message: `expected ${K} raw score(s), one per output, got ${m.baseline.length}` });
      return;
    }
    if (m.trees.length !== m.nIter * K) {
      ctx.addIssue({
        code: "custom",
        continue: false,
        path: ["trees"],
        message: `expected ${m.nIter * K} trees (${K} per iteration × nIter ${m.nIter}), got ${m.trees.length}`,
      });
      return;
    }
    const issue = treesIssue(m.trees, m.nFeatures, 1);
    if (issue) ctx.addIssue({ code: "custom", continue: false, path: ["trees", ...issue.path], message: issue.message });
  });
export type GradientBoostingJson = z.infer<typeof GradientBoostingJson>;

/**
 * Histogram-based gradient-boosted trees, the algorithm of scikit-learn's
 * HistGradientBoostingRegressor / Classifier: features binned once into ≤ 255 quantile bins,
 * trees grown leaf-wise on gradient/hessian histograms (with the subtraction trick), half squared
 * error for regression, log loss for binary and softmax log loss for multiclass targets, and early
 * stopping on a held-out validation split of the training rows. Deterministic given `seed`.
 *
 * @example
 * const X = { data: Float64Array.from({ length: 200 }, (_, i) => i), rows: 200, cols: 1 };
 * const y = Float64Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1));
 * const model = GradientBoosting.fit(X, y, { task: "classification", maxIter: 20 });
 * model.predict(X); // class indices as numbers
 */
export class GradientBoosting extends FittedTrees<GradientBoostingJson> {
  private readonly nOut: number;

  private constructor(json: GradientBoostingJson, trees: CompiledTree[]) {
    super(json, trees);
    this.nOut = json.baseline.length;
  }

  static fit(X: FeatureMatrix, y: ArrayLike<number>, options: GradientBoostingOptions): GradientBoosting {
    const where = "gradient_boosting";
    checkFeatureMatrix(X, where);
    const { rows: n, cols: p } = X;
    const classification = options.task === "classification";
    const nClasses = checkTarget(y, n, options.task, where, options.nClasses);
    const o: GradientBoostingJson["options"] = {
      learningRate: options.learningRate ?? 0.1,
      maxIter: options.maxIter ?? 100,
      maxLeafNodes: options.maxLeafNodes === undefined ? 31 : options.maxLeafNodes,
      maxDepth: options.maxDepth ?? null,
      minSamplesLeaf: options.minSamplesLeaf ?? 20,
      l2Regularization: options.l2Regularization ?? 0,
      maxBins: options.maxBins ?? 255,
      earlyStopping: options.earlyStopping ?? "auto",
      validationFraction: options.validationFraction ?? 0.1,
      nIterNoChange: options.nIterNoChange ?? 10,
      tol: options.tol ?? 1e-7,
      seed: options.seed ?? 0,
    };
    if (!(o.learningRate > 0)) throw new RangeError(`${where}: learningRate must be > 0`);
    if (!(o.maxIter >= 1)) throw new RangeError(`${where}: maxIter must be ≥ 1`);
    if (o.maxLeafNodes !== null && !(o.maxLeafNodes >= 2)) throw new RangeError(`${where}: maxLeafNodes must be ≥ 2`);
    if (!(o.l2Regularization >= 0)) throw new RangeError(`${where}: l2Regularization must be ≥ 0`);
    const loss: GradientBoostingJson["loss"] = !classification ? "squared_error" : nClasses === 2 ? "log_loss" : "log_loss_multiclass";
    const K = loss === "log_loss_multiclass" ? nClasses : 1;

    // The validation split (stratified for classification), as scikit-learn holds out before binning.
    const early = o.earlyStopping === "auto" ? n > 10_000 : o.earlyStopping;
    const isVal = new Uint8Array(n);
    if (early) {
      if (!(o.validationFraction > 0 && o.validationFraction < 1)) throw new RangeError(`${where}: validationFraction must be in (0, 1)`);
      const order = shuffledIndices(n, o.seed + 1);
      if (classification) {
        const counts = new Float64Array(nClasses);
        for (let i = 0; i < n; i++) counts[y[i]]++;
        const quota = counts.map((c) => Math.round(c * o.validationFraction));
        for (const i of order)
          if (quota[y[i]] > 0) {
            quota[y[i]]--;
            isVal[i] = 1;
          }
      } else {
        const nVal = Math.round(n * o.validationFraction);
        for (let k = 0; k < nVal; k++) isVal[order[k]] = 1;
      }
    }
    const [Xtr, ytr] = take(X, y, isVal, 0);
    const [Xva, yva] = take(X, y, isVal, 1);
    const nt = Xtr.rows;
    if (nt < 2) throw new RangeError(`${where}: need at least 2 training rows`);
    const thresholds = computeBinThresholds(Xtr, o.maxBins, o.seed);

    // Baseline raw score: the mean, the log-odds, or the log of each class prior.
    const baseline = new Array<number>(K).fill(0);
    if (loss === "squared_error") baseline[0] = mean(ytr);
    else if (loss === "log_loss") {
      const pr = clamp(mean(ytr));
      baseline[0] = Math.log(pr / (1 - pr));
    } else {
      const counts = new Float64Array(K);
      for (let i = 0; i < nt; i++) counts[ytr[i]]++;
      for (let k = 0; k < K; k++) baseline[k] = Math.log(clamp(counts[k] / nt));
    }
    // The bins, binned straight into the helper's WebAssembly memory (column-major, for the
    // partitions) and copied row-major there for the dense histograms (bit-identical to the
    // column-wise ones, fewer loads); the gradients (and a binary model's raw scores and targets)
    // live there too, where the kernels read them.
    const nBins = Int32Array.from(thresholds, (t) => t.length + 1);
    const threads = (options.threads ?? defaultThreads()) > 1 && nt * p >= THREAD_MIN_CELLS ? 2 : 1;
    const helper = new HistHelper(null, nt, nBins, loss !== "squared_error", loss === "log_loss", threads);
    try {
      const binned = applyBins(Xtr, thresholds, helper.columnBins);
      helper.transposeBins();
      const raw = helper.scores ?? new Float64Array(nt * K);
      for (let i = 0; i < nt; i++) for (let k = 0; k < K; k++) raw[i * K + k] = baseline[k];
      helper.targets?.set(ytr);
      const rawVal = new Float64Array(Xva.rows * K);
      for (let i = 0; i < Xva.rows; i++) for (let k = 0; k < K; k++) rawVal[i * K + k] = baseline[k];

      const prob = new Float64Array(loss === "log_loss_multiclass" ? nt * K : 0);
      const g = helper.gradients;
      const hess = helper.hessians;
      const samples = helper.idx;
      const rand = createRandom(o.seed);
      const trees: CompiledTree[] = [];
      const validationLoss: number[] = [];
      if (early) validationLoss.push(lossOf(loss, rawVal, yva, K));
      let nIter = 0;
      let stoppedEarly = false;
      for (let it = 0; it < o.maxIter; it++) {
        // Asked before every iteration; the first iteration is always built so that a model exists.
        if (options.shouldStop?.() && it > 0) {
          stoppedEarly = true;
          break;
        }
        if (loss === "log_loss_multiclass") softmaxRows(raw, prob, nt, K);
        for (let k = 0; k < K; k++) {
          // Gradients and hessians of the loss at the current raw scores.
          if (loss === "squared_error") for (let i = 0; i < nt; i++) g[i] = raw[i] - ytr[i];
          else if (loss === "log_loss") helper.logLossGradients();
          else {
            for (let i = 0; i < nt; i++) {
              const pr = prob[i * K + k];
              g[i] = pr - (ytr[i] === k ? 1 : 0);
              hess![i] = pr * (1 - pr);
            }
          }
          helper.resetOrder();
          const tree = growTree(
            binned,
            samples,
            { kind: "grad", g, h: hess, l2: o.l2Regularization, minHessian: 1e-3 },
            {
              maxDepth: o.maxDepth ?? Infinity,
              minSamplesSplit: 2,
              minSamplesLeaf: o.minSamplesLeaf,
              maxFeatures: p,
              maxLeafNodes: o.maxLeafNodes ?? Infinity,
              rand,
              helper,
              // With the kernels, clearing and scanning every bin costs less than JavaScript's
              // sparse bookkeeping (touched-bin lists and their sort) from 64 samples up.
              denseMin: 64,
            },
          );
          // The training scores updated from the leaves' sample ranges (no tree traversal needed),
          // by the leaf values times the learning rate, as the fitted tree stores them.
          // (The tree's arrays held in locals: V8 does not hoist their loads out of the loop.)
          const lr = o.learningRate;
          const { feature, value, start, end, samples: order } = tree;
          for (let node = 0; node < tree.nodeCount; node++) {
            if (feature[node] >= 0) continue;
            const v = value[node] * lr;
            for (let q = start[node], e = end[node]; q < e; q++) raw[order[q] * K + k] += v;
          }
          const fitted = fittedTree(tree, { nOut: 1, classFractions: false }, lr);
          trees.push(fitted);
          if (early) addTreePrediction(fitted, Xva, 1, rawVal, K, k, 1);
        }
        nIter++;
        if (early) {
          validationLoss.push(lossOf(loss, rawVal, yva, K));
          if (noImprovement(validationLoss, o.nIterNoChange, o.tol)) break;
        }
      }
      return new GradientBoosting(
        {
          algorithm: "gradient_boosting",
          task: options.task,
          loss,
          nFeatures: p,
          nClasses,
          baseline,
          trees: [],
          nIter,
          options: o,
          validationLoss,
          stoppedEarly,
        },
        trees,
      );
    } finally {
      // Whether the fit ended or failed, its second thread ends with it.
      helper.close();
    }
  }

  /** A model from JSON read from anywhere: checked against GradientBoostingJson (a TypeError names the first bad field), then built. */
  static fromJSON(json: unknown): GradientBoosting {
    return GradientBoosting.fromChecked(parseFitted(GradientBoostingJson, json, ""));
  }

  /** A model from JSON that GradientBoostingJson has already checked (as EstimatorJson does): nothing is checked twice. */
  static fromChecked(json: GradientBoostingJson): GradientBoosting {
    const trees = json.trees.map((t) => compileTree(t, { nOut: 1, classFractions: false }));
    return new GradientBoosting(structuredClone({ ...json, trees: [] }), trees);
  }

  /** Raw scores, row-major n × (1 or nClasses): baseline plus every tree's leaf value. */
  decisionFunction(X: FeatureMatrix): Float64Array {
    checkFeatureMatrix(X, "gradient_boosting predict", this.json.nFeatures);
    const K = this.nOut;
    const out = new Float64Array(X.rows * K);
    for (let i = 0; i < X.rows; i++) for (let k = 0; k < K; k++) out[i * K + k] = this.json.baseline[k];
    for (let t = 0; t < this.compiled.length; t++) addTreePrediction(this.compiled[t], X, 1, out, K, t % K, 1);
    return out;
  }

  /** Row-major n × nClasses class probabilities. */
  predictProba(X: FeatureMatrix): Float64Array {
    if (this.json.task !== "classification") throw new TypeError("gradient_boosting: predictProba needs a classification model");
    const raw = this.decisionFunction(X);
    const n = X.rows;
    if (this.json.loss === "log_loss") {
      const out = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        const pr = sigmoid(raw[i]);
        out[i * 2] = 1 - pr;
        out[i * 2 + 1] = pr;
      }
      return out;
    }
    const out = new Float64Array(n * this.nOut);
    softmaxRows(raw, out, n, this.nOut);
    return out;
  }

  /** A regression's prediction: the raw score. */
  protected regress(X: FeatureMatrix): Float64Array {
    return this.decisionFunction(X);
  }
}

/** Two threads unless DW_FIT_THREADS asks for fewer (HistogramThread.start declines on a one-core machine). */
function defaultThreads(): 1 | 2 {
  const asked = process.env.DW_FIT_THREADS;
  return asked !== undefined && asked.trim() !== "" && Number(asked) < 2 ? 1 : 2;
}

/** scikit-learn's rule: stop when none of the last n scores beats the one before them by more than tol. */
function noImprovement(losses: number[], nIterNoChange: number, tol: number): boolean {
  if (losses.length <= nIterNoChange) return false;
  const reference = losses[losses.length - nIterNoChange - 1];
  for (let k = losses.length - nIterNoChange; k < losses.length; k++) if (-losses[k] > -reference + tol) return false;
  return true;
}

function lossOf(loss: GradientBoostingJson["loss"], raw: Float64Array, y: Float64Array, K: number): number {
  const n = y.length;
  let s = 0;
  if (loss === "squared_error") for (let i = 0; i < n; i++) s += 0.5 * (raw[i] - y[i]) ** 2;
  else if (loss === "log_loss") {
    for (let i = 0; i < n; i++) {
      const z = raw[i];
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i * K + k]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(raw[i * K + k] - mx);
      s += mx + Math.log(sum) - raw[i * K + y[i]];
    }
  }
  return s / n;
}

function softmaxRows(raw: Float64Array, out: Float64Array, n: number, K: number): void {
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i * K + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(raw[i * K + k] - mx);
      out[i * K + k] = e;
      sum += e;
    }
    for (let k = 0; k < K; k++) out[i * K + k] /= sum;
  }
}

function sigmoid(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

function clamp(pr: number): number {
  return Math.min(Math.max(pr, 1e-15), 1 - 1e-15);
}

/** The rows where mask equals `which`, as a new matrix and target; X itself when that is every row (no copy of the data). */
function take(X: FeatureMatrix, y: ArrayLike<number>, mask: Uint8Array, which: number): [FeatureMatrix, Float64Array] {
  const { rows: n, cols: p, data } = X;
  let m = 0;
  for (let i = 0; i < n; i++) if (mask[i] === which) m++;
  if (m === n) return [X, Float64Array.from(y)];
  const out = new Float64Array(m * p);
  const yy = new Float64Array(m);
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] !== which) continue;
    for (let j = 0; j < p; j++) out[r * p + j] = data[i * p + j];
    yy[r++] = y[i];
  }
  return [{ data: out, rows: m, cols: p }, yy];
}
