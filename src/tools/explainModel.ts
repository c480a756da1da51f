import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { ClassLabel } from "../models/ModelJson.js";
import { createRandom } from "../models/random.js";
import { regressionMetrics } from "../models/metrics.js";
import { accuracy, logLoss, precisionRecallF1, rocAucBinary, rocAucOvr } from "../models/classificationMetrics.js";
import { DwError } from "../errors/DwError.js";
import type { EstimatorJson, Predictor } from "../models/estimators.js";
import type { FeatureMatrix } from "../models/FeatureMatrix.js";
import type { TreeJson } from "../models/treeModel.js";
import { matrixFor, readEvaluationRows, rowAccessor, type EvaluationRows } from "../runs/readEvaluationRows.js";

export const ExplainModelInput = z.strictObject({
  model_id: z.string().min(1).describe("The run whose model to explain (the run_id train_model returned)."),
  dataset_id: z
    .string()
    .min(1)
    .optional()
    .describe("A dataset to measure importance on (it must hold the target and the model's inputs). Defaults to the run's held-out rows."),
  n_repeats: z.number().int().min(1).max(100).default(5).describe("Times each column is shuffled; the importance is the mean drop over repeats."),
  seed: z.number().int().min(0).default(0).describe("Seed for the shuffles and the row sample."),
  max_rows: z.number().int().min(10).default(2000).describe("At most this many rows (a seeded sample) are used, to bound the time."),
  scoring: z
    .enum(["r2", "neg_root_mean_squared_error", "neg_mean_absolute_error", "accuracy", "f1_macro", "roc_auc", "roc_auc_ovr", "neg_log_loss"])
    .optional()
    .describe(
      "The score whose drop is the importance, named as scikit-learn's scoring strings (higher is better, hence neg_ for errors). Regression: r2 (default), neg_root_mean_squared_error, neg_mean_absolute_error. Classification: accuracy (default), f1_macro, roc_auc (two classes), roc_auc_ovr, neg_log_loss.",
    ),
});
export type ExplainModelInput = z.infer<typeof ExplainModelInput>;

const Importance = z.object({ feature: z.string(), mean: z.number(), std: z.number() });

export const ExplainModelOutput = z.object({
  model_id: z.string(),
  dataset_id: z.string(),
  evaluation: z
    .enum(["holdout", "all_rows", "dataset"])
    .describe("Which rows: the run's held-out rows, every row of its data (k-fold runs), or the dataset given."),
  rows: z.number().int(),
  metric: z
    .enum(["r2", "neg_root_mean_squared_error", "neg_mean_absolute_error", "accuracy", "f1_macro", "roc_auc", "roc_auc_ovr", "neg_log_loss"])
    .describe("The score whose drop is the permutation importance (the scoring asked for; by default R² for regression, accuracy for classification)."),
  baseline: z.number().describe("The metric on the rows before any shuffle."),
  permutation_importance: z
    .array(Importance)
    .describe(
      "Per input column, most important first: the mean and standard deviation (ddof 0) over repeats of the drop in the metric when that column's raw values are shuffled, as sklearn.inspection.permutation_importance.",
    ),
  coefficients: z
    .array(z.object({ class: ClassLabel.optional(), intercept: z.number(), values: z.record(z.string(), z.number()) }))
    .optional()
    .describe(
      "Linear and logistic models, per encoded feature. Linear: one entry, in the data's units. Logistic: one entry for a binary target (log-odds of the second class) or one per class; features are standardised first, so coefficients compare across features.",
    ),
  gain_importance: z
    .array(z.object({ feature: z.string(), importance: z.number() }))
    .optional()
    .describe(
      "Tree models, per encoded feature, summing to 1: the split gain (impurity decrease) each feature brought; a forest averages its trees' normalised importances, as scikit-learn's feature_importances_.",
    ),
  note: z.string().optional(),
  chart: z.record(z.string(), z.unknown()).describe("A Vega-Lite v5 bar chart of the permutation importance (MIME type application/vnd.vegalite.v5+json)."),
});
export type ExplainModelOutput = z.infer<typeof ExplainModelOutput>;

/**
 * Explains a trained model: permutation importance of each input column on held-out rows (or a
 * dataset given), for any algorithm, plus coefficients (linear, logistic) or gain importance
 * (trees, forests, boosting), and a Vega-Lite chart of the importances.
 *
 * @example
 * ```ts
 * const ex = await dw.explainModel({ model_id: run.run_id, n_repeats: 10 });
 * ex.permutation_importance[0].feature; // the column the model leans on most
 * ```
 */
export const explainModel = defineTool({
  name: "explain_model",
  annotations: { effect: "reads" },
  description:
    "Explain a trained model: permutation importance of each input column on held-out rows (any algorithm), coefficients for linear and logistic models, gain importance for trees, and a Vega-Lite chart.",
  input: ExplainModelInput,
  output: ExplainModelOutput,
  magic: { aliases: { run_id: "model_id", data: "dataset_id" } },
  async run(input, ctx) {
    const full = await readEvaluationRows(ctx.workspace, input.model_id, input.dataset_id);
    const er = sampleRows(full, input.max_rows, input.seed);
    const { json, predictor } = er.model;
    const metric = input.scoring ?? (json.task === "regression" ? "r2" : "accuracy");
    checkScoring(metric, json.task, json.classes?.length ?? 0);
    const K = json.classes?.length ?? 0;
    const score = (X: FeatureMatrix) => scoreOf(metric, predictor, X, er.y, K);
    const baseline = score(matrixFor(er));

    const rand = createRandom(input.seed);
    const n = er.rows.length;
    const order = new Uint32Array(n);
    const permutation_importance = json.signature.inputs.map(({ name }) => {
      const drops: number[] = [];
      for (let r = 0; r < input.n_repeats; r++) {
        for (let i = 0; i < n; i++) order[i] = i;
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          const t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        drops.push(baseline - score(matrixFor(er, rowAccessor(er.ds, er.rows, { column: name, order }))));
      }
      const mean = drops.reduce((a, b) => a + b, 0) / drops.length;
      const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / drops.length);
      return { feature: name, mean, std };
    });
    permutation_importance.sort((a, b) => b.mean - a.mean || (a.feature < b.feature ? -1 : 1));

    const names = json.preprocessing.feature_names;
    const params = json.params as unknown as EstimatorJson;
    const coefficients = coefficientsOf(params, names, json.classes);
    const gain_importance = gainImportance(params, names);
    const note = [
      full.note,
      full.rows.length > er.rows.length ? `A seeded sample of ${er.rows.length} of the ${full.rows.length} rows was used (max_rows).` : undefined,
    ]
      .filter(Boolean)
      .join(" ");
    return {
      model_id: er.runId,
      dataset_id: er.datasetId,
      evaluation: er.evaluation,
      rows: n,
      metric,
      baseline,
      permutation_importance,
      ...(coefficients ? { coefficients } : {}),
      ...(gain_importance ? { gain_importance } : {}),
      ...(note ? { note } : {}),
      chart: importanceChart(permutation_importance, metric, json.target),
    };
  },
});

type Scoring = ExplainModelOutput["metric"];
const REGRESSION_SCORING: readonly Scoring[] = ["r2", "neg_root_mean_squared_error", "neg_mean_absolute_error"];

/** A scoring that does not fit the model's task (or roc_auc beyond two classes) is INVALID_INPUT naming the ones that do. */
function checkScoring(metric: Scoring, task: string, nClasses: number): void {
  const allowed: readonly Scoring[] =
    task === "regression"
      ? REGRESSION_SCORING
      : nClasses === 2
        ? ["accuracy", "f1_macro", "roc_auc", "roc_auc_ovr", "neg_log_loss"]
        : ["accuracy", "f1_macro", "roc_auc_ovr", "neg_log_loss"];
  if (allowed.includes(metric)) return;
  throw new DwError(
    "INVALID_INPUT",
    `scoring '${metric}' does not apply to this ${task === "regression" ? "regression" : `${nClasses}-class classification`} model.`,
    {
      hint: `Use one of: ${allowed.join(", ")}.`,
      details: { field: "scoring", allowed },
    },
  );
}

/** The score of the predictions on X (higher is better), as scikit-learn's scorer of that name computes it. */
function scoreOf(metric: Scoring, predictor: Predictor, X: FeatureMatrix, y: Float64Array, K: number): number {
  if (metric === "roc_auc" || metric === "roc_auc_ovr" || metric === "neg_log_loss") {
    const proba = predictor.predictProba!(X);
    if (metric === "neg_log_loss") return -logLoss(y, proba, K);
    if (metric === "roc_auc_ovr" && K > 2) return rocAucOvr(y, proba, K);
    return rocAucBinary(
      y,
      Float64Array.from({ length: y.length }, (_, i) => proba[i * K + 1]),
    );
  }
  const pred = predictor.predict(X);
  if (metric === "accuracy") return accuracy(y, pred);
  if (metric === "f1_macro") return precisionRecallF1(y, pred, { average: "macro", nClasses: K }).f1;
  const m = regressionMetrics(y, pred);
  return metric === "r2" ? m.r2 : metric === "neg_root_mean_squared_error" ? -m.rmse : -m.mae;
}

/** At most `max` rows, drawn without replacement with `seed`, kept in their original order. */
function sampleRows(er: EvaluationRows, max: number, seed: number): EvaluationRows {
  const n = er.rows.length;
  if (n <= max) return er;
  const rand = createRandom(seed ^ 0x5eed);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const chosen = idx.slice(0, max).sort();
  return { ...er, rows: Int32Array.from(chosen, (k) => er.rows[k]), y: Float64Array.from(chosen, (k) => er.y[k]) };
}

function coefficientsOf(params: EstimatorJson, names: string[], classes: (string | number | boolean)[] | undefined) {
  const byName = (row: number[]) => Object.fromEntries(names.map((f, j) => [f, row[j]]));
  if (params.kind === "linear_regression") return [{ intercept: params.intercept, values: byName(params.coefficients) }];
  if (params.kind !== "logistic_regression") return undefined;
  const m = params.model;
  const label = (k: number) => (classes ? classes[k] : k);
  if (m.coefficients.length === 1) return [{ class: label(1), intercept: m.intercepts[0], values: byName(m.coefficients[0]) }];
  return m.coefficients.map((row, k) => ({ class: label(k), intercept: m.intercepts[k], values: byName(row) }));
}

function gainImportance(params: EstimatorJson, names: string[]): { feature: string; importance: number }[] | undefined {
  let trees: TreeJson[];
  let perTree: boolean;
  if (params.kind === "decision_tree" || params.kind === "random_forest") {
    trees = params.model.trees;
    perTree = true; // scikit-learn: each tree's importances sum to 1, the forest averages them
  } else if (params.kind === "gradient_boosting") {
    trees = params.model.trees;
    perTree = false; // every boosting tree fits the same loss, so their gains add up (xgboost's total_gain)
  } else {
    return undefined;
  }
  const total = new Float64Array(names.length);
  const one = new Float64Array(names.length);
  for (const t of trees) {
    one.fill(0);
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i] >= 0) one[t.feature[i]] += t.gain[i];
    const sum = perTree ? one.reduce((a, b) => a + b, 0) : 1;
    if (sum > 0) for (let j = 0; j < names.length; j++) total[j] += one[j] / sum;
  }
  const sum = total.reduce((a, b) => a + b, 0);
  return names
    .map((feature, j) => ({ feature, importance: sum > 0 ? total[j] / sum : 0 }))
    .sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
}

function importanceChart(items: { feature: string; mean: number; std: number }[], metric: string, target: string): Record<string, unknown> {
  const title = metric === "r2" ? "Mean drop in R²" : metric === "accuracy" ? "Mean drop in accuracy" : `Mean drop in ${metric}`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    description: `Permutation importance of each input column for predicting ${target}.`,
    title: `Permutation importance (${target})`,
    width: 400,
    data: { values: items.map((d) => ({ ...d, low: d.mean - d.std, high: d.mean + d.std })) },
    encoding: { y: { field: "feature", type: "nominal", sort: null, title: "feature" } },
    layer: [
      {
        mark: "bar",
        encoding: {
          x: { field: "mean", type: "quantitative", title },
          tooltip: [{ field: "feature" }, { field: "mean", format: ".4f" }, { field: "std", format: ".4f" }],
        },
      },
      { mark: { type: "rule", color: "black" }, encoding: { x: { field: "low", type: "quantitative" }, x2: { field: "high" } } },
    ],
  };
}
