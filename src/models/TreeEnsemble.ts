import { z } from "zod";
import { applyBins, computeBinThresholds } from "./binFeatures.js";
import { checkFeatureMatrix, type FeatureMatrix } from "./FeatureMatrix.js";
import { checkTarget, FittedTrees } from "./FittedTrees.js";
import { FiniteNumber, listOf, parseFitted, wholeNumber } from "./fittedJson.js";
import { growTree, type TreeTarget } from "./growTree.js";
import { createRandom } from "./random.js";
import { addTreePrediction, compileTree, fittedTree, treesIssue, TreeJson, type CompiledTree } from "./treeModel.js";

export type MaxFeatures = number | "sqrt" | "log2" | null;

/** Options shared by decision trees and random forests; names follow scikit-learn's in camelCase. */
export interface TreeOptions {
  task: "classification" | "regression";
  /** "gini" (default) or "entropy" for classification; "squared_error" (the only one) for regression. */
  criterion?: "gini" | "entropy" | "squared_error";
  /** null (default): grow until leaves are pure or too small. */
  maxDepth?: number | null;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  /** Features searched per split: an integer count, a fraction in (0, 1], "sqrt", "log2", or null for all. */
  maxFeatures?: MaxFeatures;
  /** Bins per feature for the split search, 2..256 (default 255). */
  maxBins?: number;
  seed?: number;
  /** Number of classes (default: largest label + 1). */
  nClasses?: number;
  /**
   * Called before each tree; when it returns true (after at least one tree), fitting ends and the
   * model keeps the trees built so far, with `stoppedEarly: true` in its JSON.
   */
  shouldStop?: () => boolean;
}

export interface ForestOptions extends TreeOptions {
  nEstimators?: number;
  /** Draw each tree's rows with replacement (default true). */
  bootstrap?: boolean;
}

/**
 * `toJSON()` of a fitted TreeEnsemble: plain numbers, nothing executable. The schema checks a
 * model read from anywhere before it is used: types, class count against task, and every tree
 * (see treesIssue). Keys in the order the fit writes them, as model.json keeps them.
 */
export const TreeEnsembleJson = z
  .object({
    algorithm: z.enum(["decision_tree", "random_forest"]),
    task: z.enum(["classification", "regression"]),
    nFeatures: wholeNumber(1),
    /** 0 for regression. */
    nClasses: wholeNumber(0),
    options: z.object({
      criterion: z.enum(["gini", "entropy", "squared_error"]),
      maxDepth: FiniteNumber.nullable(),
      minSamplesSplit: FiniteNumber,
      minSamplesLeaf: FiniteNumber,
      maxFeatures: z.union([FiniteNumber, z.enum(["sqrt", "log2"]), z.null()]),
      maxBins: FiniteNumber,
      seed: FiniteNumber,
      nEstimators: FiniteNumber,
      bootstrap: z.boolean(),
    }),
    /** Predictions average the trees' leaf values: class fractions, or means. */
    trees: listOf(TreeJson),
    /**
     * True when the fit options' `shouldStop` ended fitting with fewer than nEstimators trees.
     * Absent in models saved before the field existed.
     */
    stoppedEarly: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    const classification = m.task === "classification";
    if (classification ? m.nClasses < 2 : m.nClasses !== 0) {
      ctx.addIssue({
        code: "custom",
        continue: false,
        path: ["nClasses"],
        message: classification ? "a classifier has at least 2 classes" : "expected 0 for a regression",
      });
      return;
    }
    if (m.trees.length === 0) {
      ctx.addIssue({ code: "custom", continue: false, path: ["trees"], message: "expected at least one tree" });
      return;
    }
    const issue = treesIssue(m.trees, m.nFeatures, classification ? m.nClasses : 1);
    if (issue) ctx.addIssue({ code: "custom", continue: false, path: ["trees", ...issue.path], message: issue.message });
  });
export type TreeEnsembleJson = z.infer<typeof TreeEnsembleJson>;

/** scikit-learn's rule for turning max_features into a count. */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, p: number): number {
  if (maxFeatures === null) return p;
  if (maxFeatures === "sqrt") return Math.max(1, Math.floor(Math.sqrt(p)));
  if (maxFeatures === "log2") return Math.max(1, Math.floor(Math.log2(p)));
  if (Number.isInteger(maxFeatures) && maxFeatures >= 1) return Math.min(p, maxFeatures);
  if (maxFeatures > 0 && maxFeatures <= 1) return Math.max(1, Math.floor(maxFeatures * p));
  throw new RangeError(`maxFeatures must be a count ≥ 1, a fraction in (0, 1], "sqrt", "log2" or null; got ${maxFeatures}`);
}

/**
 * Decision trees and random forests: a list of trees whose leaf values are averaged. See
 * `fitDecisionTree` and `fitRandomForest` for fitting. The model is its JSON: `toJSON()` gives
 * plain arrays and `fromJSON()` rebuilds a model that predicts bit-for-bit the same.
 */
export class TreeEnsemble extends FittedTrees<TreeEnsembleJson> {
  private readonly nOut: number;

  private constructor(json: TreeEnsembleJson, trees: CompiledTree[]) {
    super(json, trees);
    this.nOut = json.task === "classification" ? json.nClasses : 1;
  }

  static fit(X: FeatureMatrix, y: ArrayLike<number>, algorithm: TreeEnsembleJson["algorithm"], options: ForestOptions): TreeEnsemble {
    const where = algorithm;
    checkFeatureMatrix(X, where);
    const { rows: n, cols: p } = X;
    const classification = options.task === "classification";
    const nClasses = checkTarget(y, n, options.task, where, options.nClasses);
    if (n < 1) throw new RangeError(`${where}: no training rows`);
    const criterion = options.criterion ?? (classification ? "gini" : "squared_error");
    if (classification ? criterion === "squared_error" : criterion !== "squared_error") {
      throw new RangeError(`${where}: criterion "${criterion}" does not fit a ${options.task} task`);
    }
    const resolved: TreeEnsembleJson["options"] = {
      criterion,
      maxDepth: options.maxDepth ?? null,
      minSamplesSplit: options.minSamplesSplit ?? 2,
      minSamplesLeaf: options.minSamplesLeaf ?? 1,
      maxFeatures: options.maxFeatures === undefined ? null : options.maxFeatures,
      maxBins: options.maxBins ?? 255,
      seed: options.seed ?? 0,
      nEstimators: options.nEstimators ?? 1,
      bootstrap: options.bootstrap ?? false,
    };
    const mtry = resolveMaxFeatures(resolved.maxFeatures, p);
    if (!(resolved.minSamplesLeaf >= 1) || !(resolved.minSamplesSplit >= 2)) {
      throw new RangeError(`${where}: minSamplesLeaf must be ≥ 1 and minSamplesSplit ≥ 2`);
    }
    if (!(resolved.nEstimators >= 1)) throw new RangeError(`${where}: nEstimators must be ≥ 1`);
    const rand = createRandom(resolved.seed);
    const binned = applyBins(X, computeBinThresholds(X, resolved.maxBins, resolved.seed));
    let target: TreeTarget;
    if (classification) {
      target = { kind: "class", y: Int32Array.from(y), nClasses, criterion: criterion as "gini" | "entropy" };
    } else {
      const g = new Float64Array(n);
      for (let i = 0; i < n; i++) g[i] = -y[i];
      target = { kind: "grad", g, h: null, l2: 0, minHessian: 0 };
    }
    const trees: CompiledTree[] = [];
    const samples = new Uint32Array(n);
    let stoppedEarly = false;
    for (let t = 0; t < resolved.nEstimators; t++) {
      // Asked before every tree; the first tree is always built so that a model exists.
      if (options.shouldStop?.() && t > 0) {
        stoppedEarly = true;
        break;
      }
      const treeRand = createRandom(Math.floor(rand() * 4294967296));
      if (resolved.bootstrap) for (let i = 0; i < n; i++) samples[i] = Math.floor(treeRand() * n);
      else for (let i = 0; i < n; i++) samples[i] = i;
      const grown = growTree(binned, samples, target, {
        maxDepth: resolved.maxDepth ?? Infinity,
        minSamplesSplit: resolved.minSamplesSplit,
        minSamplesLeaf: resolved.minSamplesLeaf,
        maxFeatures: mtry,
        maxLeafNodes: Infinity,
        rand: treeRand,
      });
      trees.push(fittedTree(grown, { nOut: classification ? nClasses : 1, classFractions: classification }));
    }
    return new TreeEnsemble({ algorithm, task: options.task, nFeatures: p, nClasses, options: resolved, trees: [], stoppedEarly }, trees);
  }

  /** A model from JSON read from anywhere: checked against TreeEnsembleJson (a TypeError names the first bad field), then built. */
  static fromJSON(json: unknown): TreeEnsemble {
    return TreeEnsemble.fromChecked(parseFitted(TreeEnsembleJson, json, ""));
  }

  /** A model from JSON that TreeEnsembleJson has already checked (as EstimatorJson does): nothing is checked twice. */
  static fromChecked(json: TreeEnsembleJson): TreeEnsemble {
    const nOut = json.task === "classification" ? json.nClasses : 1;
    const kind = { nOut, classFractions: json.task === "classification" };
    const trees = json.trees.map((t) => compileTree(t, kind));
    return new TreeEnsemble(structuredClone({ ...json, trees: [] }), trees);
  }

  /** Row-major n × nClasses: the mean over trees of the leaf's class fractions. */
  predictProba(X: FeatureMatrix): Float64Array {
    if (this.json.task !== "classification") throw new TypeError(`${this.json.algorithm}: predictProba needs a classification model`);
    return this.average(X);
  }

  /** A regression's prediction: the mean of the trees. */
  protected regress(X: FeatureMatrix): Float64Array {
    return this.average(X);
  }

  private average(X: FeatureMatrix): Float64Array {
    checkFeatureMatrix(X, `${this.json.algorithm} predict`, this.json.nFeatures);
    const out = new Float64Array(X.rows * this.nOut);
    const scale = 1 / this.compiled.length;
    for (const tree of this.compiled) addTreePrediction(tree, X, this.nOut, out, this.nOut, 0, scale);
    return out;
  }
}
