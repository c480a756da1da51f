import { checkClassLabels, checkFeatureMatrix, type FeatureMatrix } from "./FeatureMatrix.js";
import { lbfgs } from "./lbfgs.js";

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

/** `toJSON()` of a fitted LogisticRegression: plain numbers, nothing executable. */
export interface LogisticRegressionJson {
  algorithm: "logistic_regression";
  nFeatures: number;
  nClasses: number;
  /** Binary: one row (the log-odds of class 1); multinomial: one row per class (softmax). Each row has nFeatures entries. */
  coefficients: number[][];
  intercepts: number[];
  options: Required<LogisticRegressionOptions>;
  iterations: number;
  converged: boolean;
}

/**
 * L2-penalised logistic regression fitted by full-batch L-BFGS, equal to scikit-learn's
 * `LogisticRegression(solver="lbfgs")` at convergence: binary (sigmoid, one coefficient row) or
 * multinomial (softmax over all K classes, K coefficient rows). The objective is
 * Σᵢ loss(xᵢ) + ‖W‖² / (2C). Internally the parameters are optimised in standardised coordinates
 * (same optimum, better conditioned) without copying X. Deterministic: no randomness is used.
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
    const { rows: n, cols: p, data } = X;
    // Standardisation used only to condition the problem; the optimum is unchanged.
    const mu = new Float64Array(p);
    const sd = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mu[j] += data[i * p + j];
    for (let j = 0; j < p; j++) mu[j] /= n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        const c = data[i * p + j] - mu[j];
        sd[j] += c * c;
      }
    }
    for (let j = 0; j < p; j++) {
      sd[j] = Math.sqrt(sd[j] / n);
      if (!(sd[j] > 1e-12 * Math.max(1, Math.abs(mu[j])))) sd[j] = 1;
      if (!opts.fitIntercept) mu[j] = 0;
    }
    const R = K === 2 ? 1 : K; // coefficient rows
    const stride = p + 1; // per row: p coefficients then the intercept, in standardised coordinates
    const lambda = 1 / (opts.C * n); // penalty weight for the mean loss
    const w = new Float64Array(R * p); // original-space coefficients
    const b = new Float64Array(R);
    const gw = new Float64Array(R * p); // Σᵢ rᵢ xᵢⱼ
    const gb = new Float64Array(R); // Σᵢ rᵢ
    const margin = new Float64Array(R);
    const yi = y;

    const evaluate = (theta: Float64Array, grad: Float64Array): number => {
      // Map standardised parameters to the original space: w = ws / sd, b = bs − w·mu.
      for (let r = 0; r < R; r++) {
        let bb = opts.fitIntercept ? theta[r * stride + p] : 0;
        for (let j = 0; j < p; j++) {
          const wj = theta[r * stride + j] / sd[j];
          w[r * p + j] = wj;
          bb -= wj * mu[j];
        }
        b[r] = bb;
      }
      gw.fill(0);
      gb.fill(0);
      let loss = 0;
      if (R === 1) {
        loss = binaryPass(data, yi, n, p, w, b[0], gw, gb);
      } else {
        for (let i = 0; i < n; i++) {
          const row = i * p;
          let mx = -Infinity;
          for (let r = 0; r < R; r++) {
            let z = b[r];
            const wr = r * p;
            for (let j = 0; j < p; j++) z += w[wr + j] * data[row + j];
            margin[r] = z;
            if (z > mx) mx = z;
          }
          let sum = 0;
          for (let r = 0; r < R; r++) {
            const e = Math.exp(margin[r] - mx);
            margin[r] = e;
            sum += e;
          }
          const t = yi[i];
          // log Σ e^z − z_t, with margin[t] now e^(z_t − mx).
          loss += Math.log(sum) - Math.log(margin[t]);
          for (let r = 0; r < R; r++) {
            const res = margin[r] / sum - (r === t ? 1 : 0);
            gb[r] += res;
            const wr = r * p;
            for (let j = 0; j < p; j++) gw[wr + j] += res * data[row + j];
          }
        }
      }
      loss /= n;
      // Gradient in standardised coordinates: ∂/∂ws_j = (Σ r x_j − mu_j Σ r) / sd_j / n + λ ws_j / sd_j².
      for (let r = 0; r < R; r++) {
        for (let j = 0; j < p; j++) {
          const ws = theta[r * stride + j];
          const wj = ws / sd[j];
          loss += 0.5 * lambda * wj * wj;
          grad[r * stride + j] = (gw[r * p + j] - mu[j] * gb[r]) / sd[j] / n + (lambda * wj) / sd[j];
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
        const wj = result.x[r * stride + j] / sd[j];
        row.push(wj);
        bb -= wj * mu[j];
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

  static fromJSON(json: LogisticRegressionJson): LogisticRegression {
    if (json.algorithm !== "logistic_regression") throw new TypeError(`expected a logistic_regression model, got ${String(json.algorithm)}`);
    const R = json.nClasses === 2 ? 1 : json.nClasses;
    if (json.coefficients.length !== R || json.intercepts.length !== R || json.coefficients.some((c) => c.length !== json.nFeatures)) {
      throw new TypeError("logistic_regression JSON: coefficients/intercepts do not match nClasses × nFeatures");
    }
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

/**
 * One pass of the binary loss over the rows: returns Σ log-loss and accumulates Σ r·x into gw and
 * Σ r into gb[0] (r = p − y). A plain function with locals so that V8 keeps the loop tight.
 */
function binaryPass(
  data: Float64Array | Float32Array,
  y: ArrayLike<number>,
  n: number,
  p: number,
  w: Float64Array,
  b0: number,
  gw: Float64Array,
  gb: Float64Array,
): number {
  let loss = 0;
  let sumR = 0;
  // Rows in blocks: residuals of a block first, then Σ r·x per feature in a register (a running
  // gw[j] += … per row is a load-store chain that V8 cannot keep in registers).
  const B = 64;
  const rb = new Float64Array(B);
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let i = i0; i < i1; i++) {
      const row = i * p;
      // Four partial sums: independent add chains instead of one p-long dependency chain.
      let z0 = b0;
      let z1 = 0;
      let z2 = 0;
      let z3 = 0;
      let j = 0;
      for (; j + 3 < p; j += 4) {
        z0 += w[j] * data[row + j];
        z1 += w[j + 1] * data[row + j + 1];
        z2 += w[j + 2] * data[row + j + 2];
        z3 += w[j + 3] * data[row + j + 3];
      }
      for (; j < p; j++) z0 += w[j] * data[row + j];
      const z = z0 + z1 + (z2 + z3);
      // log(1 + e^z) − y·z and the probability, from one exp, without overflow.
      const e = Math.exp(-Math.abs(z));
      const t = y[i];
      loss += (z > 0 ? z : 0) + Math.log1p(e) - t * z;
      const r = (z > 0 ? 1 / (1 + e) : e / (1 + e)) - t;
      sumR += r;
      rb[i - i0] = r;
    }
    // Four features at a time: four independent chains, and adjacent reads within each row.
    let j = 0;
    for (; j + 3 < p; j += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let i = i0, q = i0 * p + j; i < i1; i++, q += p) {
        const r = rb[i - i0];
        a0 += r * data[q];
        a1 += r * data[q + 1];
        a2 += r * data[q + 2];
        a3 += r * data[q + 3];
      }
      gw[j] += a0;
      gw[j + 1] += a1;
      gw[j + 2] += a2;
      gw[j + 3] += a3;
    }
    for (; j < p; j++) {
      let acc = 0;
      for (let i = i0, q = i0 * p + j; i < i1; i++, q += p) acc += rb[i - i0] * data[q];
      gw[j] += acc;
    }
  }
  gb[0] += sumR;
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
