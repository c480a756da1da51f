import type { JsonDifference } from "./jsonDifferences.js";

/** What of the stored model.json names a difference's place: matrix columns, classes, the pipeline's steps, the estimator's kind and class count. */
export interface ModelNames {
  feature_names?: unknown;
  classes?: unknown;
  steps?: unknown;
  /** params.kind */
  kind?: unknown;
  /** params.model.nClasses (0 for a regression) */
  nClasses?: unknown;
}

/**
 * A model.json difference in words: which tree and node (and the feature it splits on), which
 * coefficient and for which feature and class, which pipeline step and column, which
 * hyperparameter; else the part and path. Both values and how many values of the part differ.
 *
 * @example
 * ```ts
 * modelDifferenceMessage(d, names); // "Tree 12, node 4, threshold: stored 3.25, rebuilt 3.5 (37 values of params differ)."
 * ```
 */
export function modelDifferenceMessage(d: JsonDifference, names: ModelNames): string {
  const s = d.segments;
  const feature = (i: unknown) => {
    const list = names.feature_names;
    return typeof i === "number" && Array.isArray(list) && typeof list[i] === "string" ? `'${list[i]}'` : `column ${String(i)}`;
  };
  const splits = s[0] === "params" && s.includes("trees") && s[s.length - 2] === "feature" && typeof s[s.length - 1] === "number";
  // A node's feature -1 marks a leaf.
  const split = (v: unknown) => (v === -1 ? "a leaf" : `splits on ${feature(v)}`);
  const values = splits ? `stored ${split(d.stored)}, rebuilt ${split(d.rebuilt)}` : `stored ${show(d.stored)}, rebuilt ${show(d.rebuilt)}`;
  const more = d.count > 1 ? ` (${d.count} values of ${d.part} differ)` : "";
  return `${where(s, names, feature)}: ${values}${more}.`;
}

function where(s: (string | number)[], names: ModelNames, feature: (i: unknown) => string): string {
  const nClasses = typeof names.nClasses === "number" ? names.nClasses : 0;
  const classes = Array.isArray(names.classes) ? names.classes : [];
  if (s[0] === "params") {
    const tree = s.indexOf("trees");
    if (tree >= 0) {
      const t = s[tree + 1];
      if (t === "length") return "The number of trees";
      // Boosting keeps one tree per class and iteration for more than two classes, iteration-major.
      const perIteration = names.kind === "gradient_boosting" && nClasses > 2 ? nClasses : 1;
      const treeName =
        typeof t === "number" && names.kind === "gradient_boosting"
          ? `Tree ${t} (boosting iteration ${Math.floor(t / perIteration)}${perIteration > 1 ? `, class '${String(classes[t % perIteration] ?? t % perIteration)}'` : ""})`
          : `Tree ${String(t)}`;
      const field = s[tree + 2];
      const node = s[tree + 3];
      if (node === "length") return `${treeName}: the number of nodes ('${String(field)}')`;
      if (typeof node === "number") return `${treeName}, node ${node}, ${String(field)}`;
      return `${treeName}: ${sub(s.slice(tree + 2))}`;
    }
    const coef = s.indexOf("coefficients");
    if (coef >= 0) {
      const a = s[coef + 1];
      const b = s[coef + 2];
      if (typeof a === "number" && typeof b === "number") {
        // A binary logistic regression has one row: the log-odds of the second class.
        const k = nClasses === 2 ? 1 : a;
        return `The coefficient of ${feature(b)} for class '${String(classes[k] ?? k)}'`;
      }
      if (typeof a === "number") return `The coefficient of ${feature(a)}`;
    }
    const at = s[1] === "model" ? s.slice(2) : s.slice(1);
    return at[0] === "options" ? `The estimator's option ${sub(at.slice(1))}` : `The fitted ${sub(at)}`;
  }
  if (s[0] === "preprocessing" && s[1] === "steps" && typeof s[2] === "number") {
    const steps = Array.isArray(names.steps) ? names.steps : [];
    const step: unknown = steps[s[2]];
    const column = step && typeof step === "object" && "column" in step ? ` of column '${String(step.column)}'` : "";
    const kind = step && typeof step === "object" && "kind" in step ? ` (a ${String(step.kind)} step${column})` : "";
    return `Pipeline step ${s[2]}${kind}: ${sub(s.slice(3)) || "the step"}`;
  }
  if (s[0] === "hyperparameters") return `Hyperparameter ${sub(s.slice(1)) || "(all)"}`;
  if (s[0] === "reference_stats") return `The drift reference statistics of '${String(s[1])}': ${sub(s.slice(2))}`;
  if (s[0] === "training_data") return `The training data's ${sub(s.slice(1))}`;
  return `model.json ${sub(s)}`;
}

function show(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Path segments as a JSON path without a leading dot: `impute[0]`, `trees[3].threshold`. */
function sub(segments: readonly (string | number)[]): string {
  return segments.map((x, i) => (typeof x === "number" ? `[${x}]` : `${i ? "." : ""}${x}`)).join("");
}
