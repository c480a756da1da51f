import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { createRandom, sampledIndices } from "../models/random.js";
import { SCORINGS, checkScoring, defaultScoring, score } from "../models/scorers.js";
import { Importance, permutationImportance } from "../models/permutationImportance.js";
import { Coefficients, coefficientsOf } from "../models/coefficientsOf.js";
import type { FeatureMatrix } from "../models/FeatureMatrix.js";
import type { EvaluationRows } from "../runs/readEvaluationRows.js";
import { EVALUATED_ROWS_ALIASES, evaluatedRows, evaluatedRowsFields } from "./EvaluatedRows.js";

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
    .enum(SCORINGS)
    .optional()
    .describe(
      "The score whose drop is the importance, named as scikit-learn's scoring strings (higher is better, hence neg_ for errors). Regression: r2 (default), neg_root_mean_squared_error, neg_mean_absolute_error. Classification: accuracy (default), f1_macro, roc_auc (two classes), roc_auc_ovr, neg_log_loss.",
    ),
});
export type ExplainModelInput = z.infer<typeof ExplainModelInput>;

export const ExplainModelOutput = z.object({
  ...evaluatedRowsFields("Which rows: the run's held-out rows, every row of its data (k-fold runs), or the dataset given."),
  rows: z.number().int(),
  metric: z
    .enum(SCORINGS)
    .describe("The score whose drop is the permutation importance (the scoring asked for; by default R² for regression, accuracy for classification)."),
  baseline: z.number().describe("The metric on the rows before any shuffle."),
  permutation_importance: z
    .array(Importance)
    .describe(
      "Per input column, most important first: the mean and standard deviation (ddof 0) over repeats of the drop in the metric when that column's raw values are shuffled, as sklearn.inspection.permutation_importance.",
    ),
  coefficients: z
    .array(Coefficients)
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
  magic: { aliases: EVALUATED_ROWS_ALIASES },
  async run(input, ctx) {
    const { matrixFor, readEvaluationRows } = await import("../runs/readEvaluationRows.js");
    const { rowAccessor } = await import("../models/rowAccessor.js");
    const { gainImportance } = await import("../models/gainImportance.js");
    const full = await readEvaluationRows(ctx.workspace, input.model_id, input.dataset_id);
    const er = sampleRows(full, input.max_rows, input.seed);
    const { json, predictor } = er.model;
    const nClasses = json.classes?.length ?? 0;
    const metric = input.scoring ?? defaultScoring(json.task);
    checkScoring(metric, json.task, nClasses);
    const scoreOn = (X: FeatureMatrix) => score(metric, predictor, X, er.y, nClasses);
    const baseline = scoreOn(matrixFor(er));
    const permutation_importance = permutationImportance({
      columns: json.signature.inputs.map((i) => i.name),
      rows: er.rows.length,
      nRepeats: input.n_repeats,
      seed: input.seed,
      baseline,
      scoreShuffled: (column, order) => scoreOn(matrixFor(er, rowAccessor(er.ds, er.rows, { column, order }))),
    });
    const names = json.preprocessing.feature_names;
    const coefficients = coefficientsOf(json.params, names, json.classes);
    const gain_importance = gainImportance(json.params, names);
    const note = [
      full.note,
      full.rows.length > er.rows.length ? `A seeded sample of ${er.rows.length} of the ${full.rows.length} rows was used (max_rows).` : undefined,
    ]
      .filter(Boolean)
      .join(" ");
    return {
      ...evaluatedRows(er),
      rows: er.rows.length,
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

/** At most `max` rows, drawn without replacement with `seed`, kept in their original order. */
function sampleRows(er: EvaluationRows, max: number, seed: number): EvaluationRows {
  if (er.rows.length <= max) return er;
  const chosen = sampledIndices(er.rows.length, max, createRandom(seed ^ 0x5eed));
  return { ...er, rows: Int32Array.from(chosen, (k) => er.rows[k]), y: Float64Array.from(chosen, (k) => er.y[k]) };
}

function importanceChart(items: Importance[], metric: string, target: string): Record<string, unknown> {
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
