import type { LoadedModel, ScoringInput } from "../models/scoreModel.js";
import { scoreModel } from "../models/scoreModel.js";
import { regressionMetrics } from "../models/metrics.js";
import { accuracy, precisionRecallF1 } from "../models/classificationMetrics.js";
import { castNumber, isMissing } from "../models/pipelineValues.js";
import { finiteMetrics } from "../models/evaluate.js";

/** A logged request row with the label that arrived for it later. */
export interface LabelledRow {
  x: Record<string, unknown>;
  label: unknown;
}

/** Two models scored on the same labelled rows. */
export interface LabelledComparison {
  /** Rows both models scored (rows whose label is not a value of the task's kind, or that a model cannot score, are left out). */
  rows: number;
  metric: string;
  higher_is_better: boolean;
  serving: Record<string, number>;
  candidate: Record<string, number>;
  /** candidate − serving on `metric`. */
  difference: number;
  /** The paired test on per-row losses (squared error, or 0/1 for a classifier): two-sided p-value, null with fewer than 2 rows or no variation. */
  p_value: number | null;
}

/** The metric a retraining is judged by: RMSE for a regression (lower is better), accuracy for a classifier. */
export function primaryMetric(task: "regression" | "classification"): { metric: string; higher_is_better: boolean } {
  return task === "regression" ? { metric: "rmse", higher_is_better: false } : { metric: "accuracy", higher_is_better: true };
}

/**
 * Scores the serving model and a candidate on the same labelled rows (the deployment's recent
 * requests joined to their feedback) with dw's metrics, and tests the difference with a paired
 * z-test on the per-row losses, so "better" means better on these very rows, not by chance.
 * Regression: r2, rmse, mae; classification: accuracy, and precision, recall and F1 (of the second
 * class for two classes, macro-averaged otherwise), over the classes either model or the labels know.
 *
 * @example
 * ```ts
 * const c = compareOnLabelledRows(serving, candidate, [{ x: { wind: 3 }, label: 12.5 }]);
 * c.difference; // candidate rmse − serving rmse
 * ```
 */
export function compareOnLabelledRows(serving: LoadedModel, candidate: LoadedModel, rows: readonly LabelledRow[]): LabelledComparison {
  const task = serving.json.task;
  const { metric, higher_is_better } = primaryMetric(task);
  const usable = rows.filter((r) => (task === "regression" ? Number.isFinite(castNumber(r.label)) : !isMissing(r.label)));
  const a = predictEach(serving, usable);
  const b = predictEach(candidate, usable);
  const kept = usable.map((_, i) => i).filter((i) => a[i] !== undefined && b[i] !== undefined);
  const empty = { rows: 0, metric, higher_is_better, serving: {}, candidate: {}, difference: Number.NaN, p_value: null };
  if (kept.length === 0) return empty;

  let lossA: Float64Array;
  let lossB: Float64Array;
  let mA: Record<string, number>;
  let mB: Record<string, number>;
  if (task === "regression") {
    const y = Float64Array.from(kept, (i) => castNumber(usable[i].label));
    const pa = Float64Array.from(kept, (i) => a[i] as number);
    const pb = Float64Array.from(kept, (i) => b[i] as number);
    mA = regressionMetrics(y, pa);
    mB = regressionMetrics(y, pb);
    lossA = y.map((v, k) => (v - pa[k]) ** 2);
    lossB = y.map((v, k) => (v - pb[k]) ** 2);
  } else {
    // Labels, as the server answered them or the client sent them, compared by their text: a
    // feedback label 1 and a class "1" are the same class.
    const classes: string[] = [];
    const index = new Map<string, number>();
    const indexOf = (v: unknown): number => {
      const key = String(v);
      let k = index.get(key);
      if (k === undefined) {
        k = classes.length;
        classes.push(key);
        index.set(key, k);
      }
      return k;
    };
    for (const c of [...(serving.json.classes ?? []), ...(candidate.json.classes ?? [])]) indexOf(c);
    const y = Int32Array.from(kept, (i) => indexOf(usable[i].label));
    const pa = Int32Array.from(kept, (i) => indexOf(a[i]));
    const pb = Int32Array.from(kept, (i) => indexOf(b[i]));
    const n = classes.length;
    const average = n === 2 ? ({ average: "binary", posLabel: 1, nClasses: n } as const) : ({ average: "macro", nClasses: n } as const);
    mA = { accuracy: accuracy(y, pa), ...prf(precisionRecallF1(y, pa, average)) };
    mB = { accuracy: accuracy(y, pb), ...prf(precisionRecallF1(y, pb, average)) };
    lossA = Float64Array.from(y, (v, k) => (v === pa[k] ? 0 : 1));
    lossB = Float64Array.from(y, (v, k) => (v === pb[k] ? 0 : 1));
  }
  return {
    rows: kept.length,
    metric,
    higher_is_better,
    serving: finiteMetrics(mA),
    candidate: finiteMetrics(mB),
    difference: mB[metric] - mA[metric],
    p_value: pairedZTest(lossA, lossB),
  };
}

function prf(m: { precision: number; recall: number; f1: number }): Record<string, number> {
  return { precision: m.precision, recall: m.recall, f1: m.f1 };
}

/**
 * Each row's prediction, or undefined for a row the model cannot score (a value of the wrong type,
 * one too large): scored in one batch, and row by row only when the batch fails, so one bad
 * logged row does not void the comparison.
 */
function predictEach(model: LoadedModel, rows: readonly LabelledRow[]): unknown[] {
  try {
    return scoreModel(model, inputOf(rows));
  } catch {
    return rows.map((r) => {
      try {
        return scoreModel(model, inputOf([r]))[0];
      } catch {
        return undefined;
      }
    });
  }
}

/** Logged rows as a scoring input: a column a row lacks is a missing value, imputed as in training. */
function inputOf(rows: readonly LabelledRow[]): ScoringInput {
  return {
    rows: rows.length,
    has: () => true,
    value: (column) => (row) => (Object.hasOwn(rows[row].x, column) ? rows[row].x[column] : undefined),
  };
}

/**
 * Two-sided p-value of a paired z-test that the mean per-row loss difference is zero (normal
 * approximation, fine for the tens of rows a comparison asks for at least). Null when it cannot be
 * computed: fewer than 2 rows, or every difference the same (then equal losses mean no difference,
 * and a constant non-zero one is reported by the metric itself).
 */
export function pairedZTest(lossA: Float64Array, lossB: Float64Array): number | null {
  const n = lossA.length;
  if (n < 2) return null;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += lossB[i] - lossA[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (lossB[i] - lossA[i] - mean) ** 2;
  const se = Math.sqrt(ss / (n - 1) / n);
  if (!(se > 0)) return null;
  return 2 * normalUpperTail(Math.abs(mean / se));
}

/** P(Z > z) for a standard normal Z, by the complementary error function (Numerical Recipes' erfc, relative error < 1.2e-7). */
function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851522 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return erfc / 2;
}
