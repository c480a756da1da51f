import type { Estimator, Task } from "../models/estimators.js";
import { hyperparameterDefaults } from "../models/hyperparameters.js";
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
 *
 * A hyperparameter counts when it is a value the trainer would take (estimate_cost passes them
 * unchecked); any other takes the estimator's default (src/models/hyperparameters.ts). A limit
 * of null is estimated as no limit for a tree's depth, and as the default for boosting's leaves.
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
      const maxIter = num(hp.max_iter) ?? hyperparameterDefaults("logistic_regression", job.task).max_iter;
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
      const forest = job.estimator === "random_forest" ? hyperparameterDefaults("random_forest", job.task) : null;
      const d = forest ?? hyperparameterDefaults("decision_tree", job.task);
      const trees = forest ? (num(hp.n_estimators) ?? forest.n_estimators) : 1;
      const bootstrap = forest ? (typeof hp.bootstrap === "boolean" ? hp.bootstrap : forest.bootstrap) : false;
      const nEff = bootstrap ? 0.632 * n : n;
      const minLeaf = num(hp.min_samples_leaf) ?? d.min_samples_leaf;
      const maxDepth = num(hp.max_depth) ?? d.max_depth ?? Infinity;
      const leaves = Math.max(1, Math.min(nEff / minLeaf, 2 ** Math.min(maxDepth, 40)));
      const depth = Math.min(maxDepth, Math.log2(leaves) + 1);
      const mtry = featuresPerSplit(hp.max_features === undefined ? d.max_features : hp.max_features, p);
      // Binned into the default's bins: a given max_bins is not modelled for trees.
      const binning = n * p * Math.log2(Math.min(n, d.max_bins) + 1);
      return {
        time: binning + trees * n * (mtry * depth + 4),
        // Bins (a byte per cell) plus each tree's nodes (about 26 bytes of typed arrays a node, and
        // 8 more a leaf per class beyond two).
        memory: n * p + trees * (2 * leaves) * 26 * Math.max(1, job.task === "classification" ? job.classes / 2 : 1),
      };
    }
    case "gradient_boosting": {
      const d = hyperparameterDefaults("gradient_boosting", job.task);
      const iters = num(hp.max_iter) ?? d.max_iter;
      const leaves = num(hp.max_leaf_nodes) ?? d.max_leaf_nodes ?? Infinity;
      const bins = num(hp.max_bins) ?? d.max_bins;
      const earlyStopping = typeof hp.early_stopping === "boolean" ? hp.early_stopping : d.early_stopping;
      const early = earlyStopping === true || (earlyStopping === "auto" && n > 10_000);
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

/** Features tried per split: TreeEnsemble's own rule; every feature when `v` is not a value it takes. */
function featuresPerSplit(v: unknown, p: number): number {
  if (!isMaxFeatures(v)) return p;
  try {
    return resolveMaxFeatures(v, p);
  } catch {
    return p;
  }
}

function isMaxFeatures(v: unknown): v is MaxFeatures {
  return v === null || v === "sqrt" || v === "log2" || typeof v === "number";
}
