import { z } from "zod";
import { checkClassLabels, checkFeatureMatrix, type FeatureMatrix } from "./FeatureMatrix.js";
import { FiniteNumber, FiniteNumbers, listOf, parseFitted, wholeNumber } from "./fittedJson.js";
import { lbfgs } from "./lbfgs.js";
import { KernelArena } from "../wasm/KernelArena.js";

export interface LogisticRegressionOptions {
  /** Inverse regularisation strength as scikit-learn defines it: penalty ‖w‖² / (2C), intercept not penalised. Default 1. */
  C?: number;
  /** Fit an intercept (default true). */
  fitIntercept?: boolean;
  /** L-BFGS iterations at most (default 1000). */
  maxIter?: number;
  /** Stop when the largest gradient entry of the mean loss (in standardised coordinates) is ≤ tol (default 1e-6). */
  tol?: number;
}

/**
 * `toJSON()` of a fitted LogisticRegression: plain numbers, nothing executable. The schema checks
 * a model read from anywhere before it is used: finite numbers, and as many coefficient rows and
 * intercepts as the class count needs, each row one coefficient per feature. Keys in the order
 * the fit writes them, as model.json keeps them.
 */
export const LogisticRegressionJson = z
  .object({
    algorithm: z.literal("logistic_regression"),
    nFeatures: wholeNumber(1),
    nClasses: wholeNumber(2),
    /** Binary: one row (the log-odds of class 1); multinomial: one row per class (softmax). Each row has nFeatures entries. */
    coefficients: listOf(FiniteNumbers),
    intercepts: FiniteNumbers,
    options: z.object({ C: FiniteNumber, fitIntercept: z.boolean(), maxIter: FiniteNumber, tol: FiniteNumber }),
    iterations: wholeNumber(0),
    converged: z.boolean(),
  })
  .superRefine((m, ctx) => {
    const R = m.nClasses === 2 ? 1 : m.nClasses;
    const rows = m.nClasses === 2 ? "1 row (binary: the log-odds of class 1)" : `${R} rows, one per class`;
    if (m.coefficients.length !== R) {
      ctx.addIssue({ code: "custom", continue: false, path: ["coefficients"], message: `expected ${rows}, got ${m.coefficients.length}` });
    } else if (m.intercepts.length !== R) {
      ctx.addIssue({ code: "custom", continue: false, path: ["intercepts"], message: `expected ${R}, one per coefficient row, got ${m.intercepts.length}` });
    } else {
      const r = m.coefficients.findIndex((row) => row.length !== m.nFeatures);
      if (r >= 0)
        ctx.addIssue({
          code: "custom",
          continue: false,
          path: ["coefficients", r],
          message: `expected ${m.nFeatures} coefficients, one per feature (nFeatures), got ${m.coefficients[r].length}`,
        });
    }
  });
export type LogisticRegressionJson = z.infer<typeof LogisticRegressionJson>;

/**
 * L2-penalised logistic regression fitted by full-batch L-BFGS, equal to scikit-learn's
 * `LogisticRegression(solver="lbfgs")` at convergence: binary (sigmoid, one coefficient row) or
 * multinomial (softmax over all K classes, K coefficient rows). The objective is
 * Σᵢ loss(xᵢ) + ‖W‖² / (2C). Internally the parameters are optimised in standardised coordinates
 * (same optimum, better conditioned); X is copied once into WebAssembly memory, where the
 * products run as SIMD kernels (src/wasm/kernels.wat). Deterministic: no randomness is used.
 *
 * @example
 * const X = { data: new Float64Array([0, 1, 2, 3]), rows: 4, cols: 1 };
 * const model = LogisticRegression.fit(X, new Int32Array([0, 0, 1, 1]), { C: 1 });
 * const p = model.predictProba(X); // row-major 4 × 2
 */
export class LogisticRegression {
  private constructor(private readonly json: LogisticRegressionJson) {}

  static fit(X: FeatureMatrix, y: ArrayLike<number>, options: LogisticRegressionOptions = {}): LogisticRegression {
    checkFeatureMatrix(X, "logistic_regression");
    const K = checkClassLabels(y, X.rows, "logistic_regression");
    const opts: Required<LogisticRegressionOptions> = {
      C: options.C ?? 1,
      fitIntercept: options.fitIntercept ?? true,
      maxIter: options.maxIter ?? 1000,
      tol: options.tol ?? 1e-6,
    };
    if (!(opts.C > 0)) throw new RangeError(`logistic_regression: C must be > 0, got ${opts.C}`);
    const { rows: n, cols: p } = X;
    const R = K === 2 ? 1 : K; // coefficient rows
    const stride = p + 1; // per row: p coefficients then the intercept, in standardised coordinates
    const lambda = 1 / (opts.C * n); // penalty weight for the mean loss
    // The two products per pass (margins X·w, gradient Xᵀ·r) run as SIMD kernels on WebAssembly
    // memory, block by block: each block of rows is copied in (a memcpy) and stays in cache for
    // both products, so X is never copied whole (no second copy of the data, and no 4 GiB limit).
    const B = Math.min(n, BLOCK);
    const arena = new KernelArena(KernelArena.bytesFor({ f64: B * p + R * B + 2 * R * p + 2 * p }));
    const k = arena.kernels;
    const Xb = arena.f64(B * p);
    let loaded = -1;
    /** Rows [i0, i0 + rows) of X in the block buffer; its address for the kernels. */
    const block = (i0: number, rows: number): number => {
      if (loaded !== i0) Xb.view.set(X.data.subarray(i0 * p, (i0 + rows) * p));
      loaded = i0;
      return Xb.ptr;
    };
    const z = arena.f64(R * B); // margins of a block, then its residuals, class by class
    const w = arena.f64(R * p); // original-space coefficients
    const gw = arena.f64(R * p); // Σᵢ rᵢ xᵢⱼ
    const mu = arena.f64(p);
    const sd = arena.f64(p);

    // Standardisation used only to condition the problem; the optimum is unchanged.
    z.view.fill(1);
    const rowsAt = (i0: number) => Math.min(B, n - i0);
    for (let i0 = 0; i0 < n; i0 += B) k.matTVecAdd(block(i0, rowsAt(i0)), rowsAt(i0), p, z.ptr, mu.ptr);
    for (let j = 0; j < p; j++) mu.view[j] /= n;
    for (let i0 = 0; i0 < n; i0 += B) k.colSqDev(block(i0, rowsAt(i0)), rowsAt(i0), p, mu.ptr, sd.ptr);
    for (let j = 0; j < p; j++) {
      sd.view[j] = Math.sqrt(sd.view[j] / n);
      if (!(sd.view[j] > 1e-12 * Math.max(1, Math.abs(mu.view[j])))) sd.view[j] = 1;
      if (!opts.fitIntercept) mu.view[j] = 0;
    }
    const b = new Float64Array(R);
    const gb = new Float64Array(R); // Σᵢ rᵢ
    const margin = new Float64Array(R);

    const evaluate = (theta: Float64Array, grad: Float64Array): number => {
      // Map standardised parameters to the original space: w = ws / sd, b = bs − w·mu.
      for (let r = 0; r < R; r++) {
        let bb = opts.fitIntercept ? theta[r * stride + p] : 0;
        for (let j = 0; j < p; j++) {
          const wj = theta[r * stride + j] / sd.view[j];
          w.view[r * p + j] = wj;
          bb -= wj * mu.view[j];
        }
        b[r] = bb;
      }
      gw.view.fill(0);
      gb.fill(0);
      let loss = 0;
      for (let i0 = 0; i0 < n; i0 += B) {
        const rows = rowsAt(i0);
        const xb = block(i0, rows);
        for (let r = 0; r < R; r++) k.matVec(xb, rows, p, w.ptr + r * p * 8, b[r], z.ptr + r * B * 8);
        loss += R === 1 ? binaryResiduals(z.view, y, i0, rows, gb) : softmaxResiduals(z.view, y, i0, rows, R, B, gb, margin);
        for (let r = 0; r < R; r++) k.matTVecAdd(xb, rows, p, z.ptr + r * B * 8, gw.ptr + r * p * 8);
      }
      loss /= n;
      // Gradient in standardised coordinates: ∂/∂ws_j = (Σ r x_j − mu_j Σ r) / sd_j / n + λ ws_j / sd_j².
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < p; j++) {
          const ws = theta[r * stride + j];
          const wj = ws / sd.view[j];
          loss += 0.5 * lambda * wj * wj;
          grad[r * stride + j] = (gw.view[r * p + j] - mu.view[j] * gb[r]) / sd.view[j] / n + (lambda * wj) / sd.view[j];
        }
        grad[r * stride + p] = opts.fitIntercept ? gb[r] / n : 0;
      }
      return loss;
    };

    const theta0 = new Float64Array(R * stride);
    const result = lbfgs(evaluate, theta0, { maxIter: opts.maxIter, gtol: opts.tol });
    const coefficients: number[][] = [];
    const intercepts: number[] = [];
    for (let r = 0; r < R; r++) {
      const row: number[] = [];
      let bb = opts.fitIntercept ? result.x[r * stride + p] : 0;
      for (let j = 0; j < p; j++) {
        const wj = result.x[r * stride + j] / sd.view[j];
        row.push(wj);
        bb -= wj * mu.view[j];
      }
      coefficients.push(row);
      intercepts.push(bb);
    }
    return new LogisticRegression({
      algorithm: "logistic_regression",
      nFeatures: p,
      nClasses: K,
      coefficients,
      intercepts,
      options: opts,
      iterations: result.iterations,
      converged: result.converged,
    });
  }

  /** A model from JSON read from anywhere: checked against LogisticRegressionJson (a TypeError names the first bad field), then built. */
  static fromJSON(json: unknown): LogisticRegression {
    return LogisticRegression.fromChecked(parseFitted(LogisticRegressionJson, json, ""));
  }

  /** A model from JSON that LogisticRegressionJson has already checked (as EstimatorJson does): nothing is checked twice. */
  static fromChecked(json: LogisticRegressionJson): LogisticRegression {
    return new LogisticRegression(structuredClone(json));
  }

  toJSON(): LogisticRegressionJson {
    return structuredClone(this.json);
  }

  get nClasses(): number {
    return this.json.nClasses;
  }

  /** Row-major n × nClasses class probabilities. */
  predictProba(X: FeatureMatrix): Float64Array {
    checkFeatureMatrix(X, "logistic_regression predict", this.json.nFeatures);
    const { rows: n, cols: p, data } = X;
    const K = this.json.nClasses;
    const out = new Float64Array(n * K);
    const W = this.json.coefficients;
    const B = this.json.intercepts;
    if (K === 2) {
      const w = W[0];
      for (let i = 0; i < n; i++) {
        let z = B[0];
        for (let j = 0; j < p; j++) z += w[j] * data[i * p + j];
        const prob = z > 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        out[i * 2] = 1 - prob;
        out[i * 2 + 1] = prob;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        let z = B[k];
        const w = W[k];
        for (let j = 0; j < p; j++) z += w[j] * data[i * p + j];
        out[i * K + k] = z;
        if (z > mx) mx = z;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(out[i * K + k] - mx);
        out[i * K + k] = e;
        sum += e;
      }
      for (let k = 0; k < K; k++) out[i * K + k] /= sum;
    }
    return out;
  }

  /** The most probable class index per row (ties to the lower index, as numpy's argmax). */
  predict(X: FeatureMatrix): Int32Array {
    return argmaxRows(this.predictProba(X), X.rows, this.json.nClasses);
  }
}

/** Rows per block: 4096 rows × 20 features of doubles (640 KB) stay in a 1 MB L2 cache between the two products. */
const BLOCK = 4096;

/**
 * The binary log-loss of a block from its margins z[0..rows) (rows i0…), replacing each margin by
 * its residual r = σ(z) − y and adding Σ r to gb[0]. Returns the block's Σ loss.
 */
function binaryResiduals(z: Float64Array, y: ArrayLike<number>, i0: number, rows: number, gb: Float64Array): number {
  let loss = 0;
  let sumR = 0;
  for (let q = 0; q < rows; q++) {
    const m = z[q];
    // log(1 + e^m) − y·m and the probability, from one exp, without overflow.
    const e = Math.exp(-Math.abs(m));
    const t = y[i0 + q];
    loss += Math.max(m, 0) + Math.log1p(e) - t * m;
    const r = (m > 0 ? 1 / (1 + e) : e / (1 + e)) - t;
    sumR += r;
    z[q] = r;
  }
  gb[0] += sumR;
  return loss;
}

/**
 * The multinomial log-loss of a block: margins of class c at z[c·B + q]; each becomes its
 * residual softmax − one-hot, and Σ residuals per class go to gb. Returns the block's Σ loss.
 */
function softmaxResiduals(z: Float64Array, y: ArrayLike<number>, i0: number, rows: number, R: number, B: number, gb: Float64Array, e: Float64Array): number {
  let loss = 0;
  for (let q = 0; q < rows; q++) {
    let mx = -Infinity;
    for (let c = 0; c < R; c++) if (z[c * B + q] > mx) mx = z[c * B + q];
    let sum = 0;
    for (let c = 0; c < R; c++) {
      e[c] = Math.exp(z[c * B + q] - mx);
      sum += e[c];
    }
    const t = y[i0 + q];
    // log Σ e^z − z_t, with e[t] = e^(z_t − mx).
    loss += Math.log(sum) - Math.log(e[t]);
    for (let c = 0; c < R; c++) {
      const res = e[c] / sum - (c === t ? 1 : 0);
      z[c * B + q] = res;
      gb[c] += res;
    }
  }
  return loss;
}

export function argmaxRows(proba: Float64Array, n: number, K: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}
