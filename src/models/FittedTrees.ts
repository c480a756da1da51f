import { checkClassLabels, checkRegressionTarget, type FeatureMatrix } from "./FeatureMatrix.js";
import { treeBytes, treeToJson, type CompiledTree, type TreeJson } from "./treeModel.js";

/** The part of a tree model's JSON that FittedTrees reads: the task, the class count and the trees. */
interface TreesJson {
  task: "classification" | "regression";
  /** 0 for regression. */
  nClasses: number;
  trees: TreeJson[];
}

/**
 * What every fitted tree model shares, as scikit-learn's forests and boosting share a base: the
 * model's JSON with its trees held apart in typed arrays, the JSON given back with the trees in
 * place, and a prediction that is the regression's value or the most probable class. The
 * subclasses fit, load, and say how their trees add up (an average, or boosting's raw scores).
 */
export abstract class FittedTrees<J extends TreesJson> {
  /** The model's JSON with `trees` left empty: the trees are held in typed arrays (a fraction of number[]s' memory). */
  protected readonly json: J;
  protected readonly compiled: CompiledTree[];

  protected constructor(json: J, trees: CompiledTree[]) {
    this.json = { ...json, trees: [] };
    this.compiled = trees;
  }

  /** The model as plain numbers, keys in the order the fit wrote them (as model.json keeps them). */
  toJSON(): J {
    return { ...structuredClone(this.json), trees: this.compiled.map(treeToJson) };
  }

  get task(): "classification" | "regression" {
    return this.json.task;
  }

  get nClasses(): number {
    return this.json.nClasses;
  }

  /** Bytes the fitted trees hold in memory (typed arrays: see CompiledTree). */
  get treeBytes(): number {
    return this.compiled.reduce((s, t) => s + treeBytes(t), 0);
  }

  /** Row-major n × nClasses class probabilities (a classification model only). */
  abstract predictProba(X: FeatureMatrix): Float64Array;

  /** A regression model's predicted values. */
  protected abstract regress(X: FeatureMatrix): Float64Array;

  /** Regression: the predicted value; classification: the most probable class index (as a number; the first on ties). */
  predict(X: FeatureMatrix): Float64Array {
    if (this.json.task === "regression") return this.regress(X);
    const proba = this.predictProba(X);
    const K = this.json.nClasses;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      out[i] = best;
    }
    return out;
  }
}

/** A tree model's target checked for its task: class indices 0..K−1 (K returned: `nClasses` when given, else the largest label + 1) or finite numbers (0 returned). */
export function checkTarget(y: ArrayLike<number>, n: number, task: TreesJson["task"], where: string, nClasses?: number): number {
  if (task === "classification") return checkClassLabels(y, n, where, nClasses);
  checkRegressionTarget(y, n, where);
  return 0;
}
