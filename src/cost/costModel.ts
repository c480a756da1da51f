import type { Estimator, Task } from "../models/estimators.js";
import { resolveMaxFeatures, type MaxFeatures } from "../models/TreeEnsemble.js";

/** The shape of a training job, as the cost model sees it. */
export interface JobShape {
  estimator: Estimator;
  task: Task;
  rows: number;
  /** Columns after encoding (one-hot widens a categorical column). */
  features: number;
  /** Classes of a classification target (2 when unknown). */
  classes: number;
  hyperparameters: Record<string, unknown>;
}

/**
 * Work units of a fit: a count proportional to the inner-loop operations of dw's trainers, so that
 * seconds ≈ a + b·time and bytes ≈ c + d·memory with a, b, c, d measured on this machine per
 * estimator (see calibrateCost). The formulas follow the algorithms in src/models/: normal
 * equations (n·p²), L-BFGS passes over the data (n·p·K per iteration), histogram trees (one pass
 * over a node's rows per feature per level, plus the binning sort), boosting (one histogram pass
 * per iteration and per class, plus a fixed per-leaf cost over the bins).
 */
export function workUnits(job: JobShape, typicalIterations = 20): { time: number; memory: number; note?: string } {
  const n = Math.max(1, job.rows);
  const p = Math.max(1, job.features);
  const hp = job.hyperparameters;
  const k = job.task === "classification" && job.classes > 2 ? job.classes : 1;
  switch (job.estimator) {
    case "linear_regression":
      return { time: (n * p * (p + 2)) / 2 + p ** 3, memory: n * p };
    case "logistic_regression": {
      const maxIter = num(hp.max_iter) ?? 1000;
      const iters = Math.min(maxIter, typicalIterations);
      return {
        time: n * p * k * iters,
        memory: n * p * k,
        note:
          maxIter > typicalIterations
            ? `Assumes about ${Math.round(typicalIterations)} L-BFGS iterations, as calibration took; hard problems take more (up to max_iter ${maxIter}).`
            : undefined,
      };
    }
    case "decision_tree":
    case "random_forest": {
      const forest = job.estimator === "random_forest";
      const trees = forest ? (num(hp.n_estimators) ?? 100) : 1;
      const bootstrap = forest ? hp.bootstrap !== false : false;
      const nEff = bootstrap ? 0.632 * n : n;
      const minLeaf = num(hp.min_samples_leaf) ?? 1;
      const maxDepth = num(hp.max_depth) ?? Infinity;
      const leaves = Math.max(1, Math.min(nEff / minLeaf, 2 ** Math.min(maxDepth, 40)));
      const depth = Math.min(maxDepth, Math.log2(leaves) + 1);
      const mtry = maxFeatures(hp.max_features, p, forest && job.task === "classification");
      const binning = n * p * Math.log2(Math.min(n, 255) + 1);
      return {
        time: binning + trees * n * (mtry * depth + 4),
        // Bins (a byte per cell) plus each tree's nodes (about 26 bytes of typed arrays a node, and
        // 8 more a leaf per class beyond two).
        memory: n * p + trees * (2 * leaves) * 26 * Math.max(1, job.task === "classification" ? job.classes / 2 : 1),
      };
    }
    case "gradient_boosting": {
      const iters = num(hp.max_iter) ?? 100;
      const leaves = num(hp.max_leaf_nodes) ?? 31;
      const bins = num(hp.max_bins) ?? 255;
      const early = hp.early_stopping === true || (hp.early_stopping !== false && n > 10_000);
      return {
        time: n * p * Math.log2(Math.min(n, bins) + 1) + iters * k * (n * p + leaves * p * bins * 3),
        memory: n * p + n * k * 4,
        note: early
          ? `Early stopping is on (${hp.early_stopping === true ? "asked" : "more than 10,000 rows"}): the estimate assumes all ${iters} iterations; it may stop sooner.`
          : undefined,
      };
    }
  }
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Features tried per split: TreeEnsemble's own rule, with the forest's default (√p for classification). */
function maxFeatures(v: unknown, p: number, classificationForest: boolean): number {
  const given = v === undefined ? (classificationForest ? "sqrt" : null) : v;
  try {
    return resolveMaxFeatures(given as MaxFeatures, p);
  } catch {
    return p;
  }
}
