import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { readDataset } from "../data/readDataset.js";
import { requireColumn } from "../data/requireColumn.js";
import { skewness } from "../data/profileColumn.js";
import type { Column, Dataset } from "../data/Dataset.js";
import { shuffledIndices } from "../models/random.js";
import { fitPipeline, transform } from "../models/preprocessing.js";
import { fitEstimator, type Estimator, type Task } from "../models/estimators.js";
import { evaluatePredictor } from "../models/evaluate.js";
import { checkFeature, datasetAccessor, defaultFeatures, inferTask, readTarget } from "../models/trainingData.js";

/** The probe and the bake-off sample at most this many rows, so the tool stays quick on big data. */
const PROBE_ROWS = 5_000;
const BAKE_OFF_ROWS = 20_000;
/** Depth of the probe's shallow tree, and a deeper one to suggest a decision_tree depth. */
const SHALLOW_DEPTH = 4;
const DEEP_DEPTH = 8;
/** A shallow tree beating the linear model by more than this (in R² or accuracy) means non-linear structure. */
const NONLINEAR_GAIN = 0.02;
/** Below this many rows, a forest's averaging is steadier than boosting, whose early stopping would hold out too few rows. */
const SMALL_DATA = 1_000;
/** A class this rare or rarer makes accuracy misleading. */
const IMBALANCED = 0.1;
/** From this many rows, boosting holds out a validation split and stops early (scikit-learn's "auto"). */
const EARLY_STOPPING_ROWS = 10_000;

const CANDIDATES = ["linear_regression", "logistic_regression", "decision_tree", "random_forest", "gradient_boosting"] as const;

export const SelectModelInput = z.strictObject({
  dataset_id: z.string().min(1).describe("The dataset, as load_dataset registered it."),
  target: z.string().min(1).describe("The column to predict."),
  features: z.array(z.string().min(1)).min(1).optional().describe("Columns to predict from; defaults to the columns train_model would use."),
  task: z
    .enum(["regression", "classification"])
    .optional()
    .describe("Defaults as train_model does: classification for a text or boolean target or a numeric one with two values (0/1), else regression."),
  quick: z.boolean().default(false).describe("Also run a short cross-validated bake-off of the candidates and rank them by its score."),
  folds: z.number().int().min(2).max(10).default(3).describe("Folds of the probe's and the bake-off's cross-validation."),
  seed: z.number().int().min(0).default(42).describe("Seed for sampling, folds and the algorithms."),
  time_budget_seconds: z
    .number()
    .positive()
    .optional()
    .describe("With quick: no further candidate is started once this much time has passed (the probe always runs)."),
});
export type SelectModelInput = z.infer<typeof SelectModelInput>;

const CvScore = z.object({
  metric: z.enum(["r2", "accuracy"]),
  mean: z.number(),
  std: z.number().describe("Standard deviation over folds (ddof=0, as scikit-learn's cv_results_)."),
  fold_scores: z.array(z.number()),
  fit_s: z.number().describe("Seconds spent fitting, all folds."),
  hyperparameters: z.record(z.string(), z.unknown()).describe("What the bake-off fitted (smaller ensembles than recommended, to be quick)."),
});

export const SelectModelOutput = z.object({
  dataset_id: z.string(),
  target: z.string(),
  task: z.enum(["regression", "classification"]),
  features: z.array(z.string()),
  characteristics: z.object({
    rows: z.number().int().describe("Rows with a target value."),
    features: z.number().int(),
    encoded_features: z.number().int().describe("Columns after preprocessing (one-hot, date parts)."),
    column_types: z.object({ number: z.number().int(), boolean: z.number().int(), date: z.number().int(), string: z.number().int() }),
    categorical_share: z.number().describe("Share of the features that are text (one-hot encoded)."),
    missing_share: z.number().describe("Share of feature cells missing, over the rows with a target."),
    classes: z.number().int().optional(),
    minority_class: z.string().optional(),
    minority_share: z.number().optional().describe("The rarest class's share of rows."),
    majority_share: z.number().optional().describe("The commonest class's share: the accuracy of always predicting it."),
    target_skewness: z.number().nullable().optional(),
    nonlinearity: z.object({
      metric: z.enum(["r2", "accuracy"]),
      rows: z.number().int(),
      folds: z.number().int(),
      linear: z.number().describe("Cross-validated score of linear or logistic regression."),
      shallow_tree: z.number().describe(`Cross-validated score of a depth-${SHALLOW_DEPTH} decision tree.`),
      deep_tree: z.number().describe(`Cross-validated score of a depth-${DEEP_DEPTH} decision tree.`),
      gain: z.number().describe("shallow_tree − linear."),
      nonlinear: z.boolean(),
    }),
  }),
  recommendations: z.array(
    z.object({
      rank: z.number().int(),
      algorithm: z.enum(CANDIDATES),
      hyperparameters: z.record(z.string(), z.unknown()).describe("Settings to pass to train_model."),
      rationale: z.string(),
      cv: CvScore.optional().describe("The bake-off's score (quick only)."),
    }),
  ),
  notes: z.array(z.string()),
  bake_off: z
    .object({
      rows: z.number().int(),
      folds: z.number().int(),
      metric: z.enum(["r2", "accuracy"]),
      completed: z.array(z.string()),
      skipped: z.array(z.string()).describe("Candidates not run because the time budget ran out."),
      elapsed_s: z.number(),
    })
    .optional(),
});
export type SelectModelOutput = z.infer<typeof SelectModelOutput>;

type Candidate = (typeof CANDIDATES)[number];
type Hp = Record<string, unknown>;

/**
 * Recommends algorithms for a target from what the data is like: the task, its size, the share of
 * text and missing values, class balance, and non-linearity measured by a probe (linear or logistic
 * regression against a shallow decision tree, cross-validated on at most 5,000 sampled rows). With
 * `quick`, it also runs a short k-fold bake-off (on at most 20,000 rows; forests of 50 trees,
 * boosting of 100 iterations) and ranks the candidates by their mean R² or accuracy. Nothing is
 * written to the workspace.
 *
 * @example
 * ```ts
 * const s = await dw.selectModel({ dataset_id: "seattle-weather", target: "temp_max", quick: true });
 * s.recommendations[0].algorithm; // e.g. "gradient_boosting"
 * ```
 */
export const selectModel = defineTool({
  name: "select_model",
  annotations: { effect: "reads", long: true },
  description:
    "Recommend algorithms for a target with a rationale from the data (task, size, categorical and missing shares, class imbalance, non-linearity from a quick probe); with quick, rank them by a short cross-validated bake-off.",
  input: SelectModelInput,
  output: SelectModelOutput,
  magic: { aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const t0 = performance.now();
    const { record, ds } = await readDataset(ctx.workspace, input.dataset_id);
    const targetCol = requireColumn(ds, input.target, "target", record.dataset_id);
    const task: Task = input.task ?? inferTask(targetCol);
    const featureNames = input.features ?? defaultFeatures(ds, input.target);
    if (featureNames.length === 0) {
      throw new DwError("INVALID_INPUT", `Dataset '${record.dataset_id}' has no usable column besides the target '${input.target}'.`, {
        hint: "Pass features.",
        details: { field: "features" },
      });
    }
    if (featureNames.includes(input.target)) {
      throw new DwError("INVALID_INPUT", `The target '${input.target}' is also listed as a feature.`, {
        hint: "Remove it from features.",
        details: { field: "features", column: input.target },
      });
    }
    const features = featureNames.map((f) => checkFeature(requireColumn(ds, f, "features", record.dataset_id), record.source));
    const { y, keep, classes } = readTarget(targetCol, task, record.source);
    const minRows = Math.max(10, input.folds * 2);
    if (keep.length < minRows) {
      throw new DwError("DATA_ERROR", `Only ${keep.length} rows have a value for '${input.target}': too few for ${input.folds}-fold cross-validation.`, {
        hint: "Use more data, or fewer folds.",
        details: { field: "target", column: input.target, rows: keep.length },
      });
    }
    const nClasses = classes?.length ?? 0;
    const metric = task === "regression" ? ("r2" as const) : ("accuracy" as const);
    const linear: Candidate = task === "regression" ? "linear_regression" : "logistic_regression";
    const order = shuffledIndices(keep.length, input.seed);
    const sample = (n: number) => Int32Array.from({ length: Math.min(n, keep.length) }, (_, r) => keep[order[r]]);
    const cv = (estimator: Estimator, hp: Hp, rows: Int32Array) =>
      crossValidate({ ds, features, y, task, nClasses, metric, estimator, hp, rows, folds: input.folds, seed: input.seed });

    // Characteristics.
    const types = { number: 0, boolean: 0, date: 0, string: 0 };
    for (const c of features) types[c.type]++;
    let missing = 0;
    for (const c of features) for (const i of keep) missing += isMissing(c, i) ? 1 : 0;
    const encoded = fitPipeline(features, keep, { scale: false }).feature_names.length;
    const probeRows = sample(PROBE_ROWS);
    const lin = cv(linear, {}, probeRows);
    const shallow = cv("decision_tree", { max_depth: SHALLOW_DEPTH }, probeRows);
    const deep = cv("decision_tree", { max_depth: DEEP_DEPTH }, probeRows);
    const gain = shallow.mean - lin.mean;
    const ch: SelectModelOutput["characteristics"] = {
      rows: keep.length,
      features: features.length,
      encoded_features: encoded,
      column_types: types,
      categorical_share: types.string / features.length,
      missing_share: missing / (features.length * keep.length),
      nonlinearity: {
        metric,
        rows: probeRows.length,
        folds: input.folds,
        linear: lin.mean,
        shallow_tree: shallow.mean,
        deep_tree: deep.mean,
        gain,
        nonlinear: gain > NONLINEAR_GAIN,
      },
    };
    const notes: string[] = [];
    if (classes) {
      const counts = new Float64Array(nClasses);
      for (const i of keep) counts[y[i]]++;
      let lo = 0;
      let hi = 0;
      for (let k = 1; k < nClasses; k++) {
        if (counts[k] < counts[lo]) lo = k;
        if (counts[k] > counts[hi]) hi = k;
      }
      Object.assign(ch, {
        classes: nClasses,
        minority_class: String(classes[lo]),
        minority_share: counts[lo] / keep.length,
        majority_share: counts[hi] / keep.length,
      });
      if (counts[lo] / keep.length < IMBALANCED) {
        notes.push(
          `Classes are imbalanced: '${String(classes[lo])}' is ${pct(counts[lo] / keep.length)} of rows, and always predicting '${String(classes[hi])}' already scores accuracy ${fmt(counts[hi] / keep.length)}; judge models by f1 and roc_auc as well, which train_model reports.`,
        );
      }
    } else {
      const t = Float64Array.from(keep, (i) => y[i]);
      ch.target_skewness = skewness(t, t.reduce((a, b) => a + b, 0) / t.length, t.length);
      if ((ch.target_skewness ?? 0) > 1)
        notes.push(
          `The target is right-skewed (skewness ${fmt(ch.target_skewness!)}): squared-error models chase the large values; consider predicting log1p(${input.target}).`,
        );
    }
    if (ch.missing_share > 0)
      notes.push(`${pct(ch.missing_share)} of feature values are missing; every algorithm here imputes them (median, mode) in its fitted pipeline.`);
    if (encoded > keep.length / 10)
      notes.push(`${encoded} encoded columns for ${keep.length} rows: expect overfitting; regularize (l2, C, min_samples_leaf) or drop features.`);

    let ranked = recommend(task, ch, linear, deep.mean > shallow.mean ? DEEP_DEPTH : SHALLOW_DEPTH);

    let bakeOff: SelectModelOutput["bake_off"];
    if (input.quick) {
      const rows = sample(BAKE_OFF_ROWS);
      const budgetMs = (input.time_budget_seconds ?? Infinity) * 1000;
      const completed: string[] = [];
      const skipped: string[] = [];
      for (const r of ranked) {
        if (performance.now() - t0 >= budgetMs) {
          skipped.push(r.algorithm);
          continue;
        }
        const hp = bakeOffHyperparameters(r.algorithm, r.hyperparameters);
        const s = cv(r.algorithm, hp, rows);
        r.cv = { metric, mean: s.mean, std: s.std, fold_scores: s.scores, fit_s: secs(s.fitMs), hyperparameters: hp };
        r.rationale += ` Bake-off (${input.folds}-fold, ${rows.length} rows): ${metric} ${fmt(s.mean)} ± ${fmt(s.std)}, fitted in ${secs(s.fitMs)} s.`;
        completed.push(r.algorithm);
      }
      if (skipped.length) {
        notes.push(
          `The time budget of ${input.time_budget_seconds} s ran out: ${skipped.join(", ")} ${skipped.length === 1 ? "was" : "were"} not cross-validated and ${skipped.length === 1 ? "is" : "are"} ranked after the candidates that were, in the order the data's characteristics suggest.`,
        );
      }
      // Scored candidates by mean score (ties: the simpler, earlier one); unscored keep their order after them.
      ranked = [...ranked.filter((r) => r.cv).sort((a, b) => b.cv!.mean - a.cv!.mean), ...ranked.filter((r) => !r.cv)];
      bakeOff = { rows: rows.length, folds: input.folds, metric, completed, skipped, elapsed_s: secs(performance.now() - t0) };
    }

    return {
      dataset_id: record.dataset_id,
      target: input.target,
      task,
      features: featureNames,
      characteristics: ch,
      recommendations: ranked.map((r, i) => ({ ...r, rank: i + 1 })),
      notes,
      ...(bakeOff ? { bake_off: bakeOff } : {}),
    };
  },
});

interface Recommendation {
  algorithm: Candidate;
  hyperparameters: Hp;
  rationale: string;
  cv?: z.infer<typeof CvScore>;
}

/**
 * Orders the candidates from the measured characteristics. Non-linear structure puts the tree
 * ensembles first; a relation the linear model fits as well as a tree puts it first, unless most
 * features are text; size decides between boosting and a forest.
 */
function recommend(task: Task, ch: SelectModelOutput["characteristics"], linear: Candidate, treeDepth: number): Recommendation[] {
  const p = ch.nonlinearity;
  const m = p.metric;
  const probe = `${m} ${fmt(p.linear)} for ${linear} against ${fmt(p.shallow_tree)} for a depth-${SHALLOW_DEPTH} tree, ${p.folds}-fold on ${p.rows} rows`;
  const small = ch.rows < SMALL_DATA;
  const early = ch.rows >= EARLY_STOPPING_ROWS;
  const text = ch.column_types.string;
  const nonlinearNote = p.nonlinear ? ` The probe found non-linear structure: a depth-${SHALLOW_DEPTH} tree beats ${linear} by ${fmt(p.gain)} ${m}.` : "";
  const textNote = text ? ` ${text} of ${ch.features} features are text, one-hot encoded into ${ch.encoded_features} columns in all.` : "";
  const recs: Record<Candidate, Recommendation> = {
    linear_regression: { algorithm: "linear_regression", hyperparameters: {}, rationale: "" },
    logistic_regression: { algorithm: "logistic_regression", hyperparameters: {}, rationale: "" },
    decision_tree: {
      algorithm: "decision_tree",
      hyperparameters: { max_depth: treeDepth },
      rationale: `One tree is readable as rules, but less accurate than an ensemble of them; depth ${treeDepth} scored best in the probe (${m} ${fmt(p.shallow_tree)} at depth ${SHALLOW_DEPTH}, ${fmt(p.deep_tree)} at depth ${DEEP_DEPTH}).`,
    },
    random_forest: {
      algorithm: "random_forest",
      hyperparameters: { n_estimators: 100, ...(task === "classification" ? { max_features: "sqrt" } : {}) },
      rationale:
        `Averages 100 deep trees: captures non-linear effects and interactions with little tuning${small ? `, and with only ${ch.rows} rows its averaging is steadier than boosting` : ""}.` +
        nonlinearNote +
        textNote,
    },
    gradient_boosting: {
      algorithm: "gradient_boosting",
      hyperparameters: { learning_rate: 0.1, max_iter: 100, ...(early ? { early_stopping: true } : {}) },
      rationale:
        `Histogram gradient boosting fits trees to the remaining error one after another, often the most accurate choice on tabular data${small ? `; with only ${ch.rows} rows it may overfit, so check it against the forest` : ` (${ch.rows} rows here)`}${early ? ", stopping early on a validation split" : ""}.` +
        nonlinearNote +
        textNote,
    },
  };
  recs[linear].rationale = p.nonlinear
    ? `A shallow tree beats it by ${fmt(p.gain)} (${probe}): the target depends on the features non-linearly, which a linear model cannot capture; keep it as an interpretable baseline.`
    : `It fits as well as a shallow tree (${probe}): the relation looks close to linear, so the fastest model to fit and the easiest to explain (its coefficients) may be enough.${task === "classification" ? " Features are standardized for it." : ""}` +
      textNote;
  const ensembles: Candidate[] = small ? ["random_forest", "gradient_boosting"] : ["gradient_boosting", "random_forest"];
  const order: Candidate[] = p.nonlinear
    ? [...ensembles, "decision_tree", linear]
    : p.gain < -NONLINEAR_GAIN || ch.categorical_share < 0.5
      ? [linear, ...ensembles, "decision_tree"]
      : [...ensembles, linear, "decision_tree"];
  return order.map((a) => recs[a]);
}

/** The bake-off keeps ensembles small so it stays quick: 50 trees, 100 boosting iterations. */
function bakeOffHyperparameters(algorithm: Candidate, hp: Hp): Hp {
  if (algorithm === "random_forest") return { ...hp, n_estimators: 50 };
  if (algorithm === "gradient_boosting") return { ...hp, max_iter: 100 };
  return hp;
}

interface CvOptions {
  ds: Dataset;
  features: Column[];
  y: Float64Array;
  task: Task;
  nClasses: number;
  metric: "r2" | "accuracy";
  estimator: Estimator;
  hp: Hp;
  /** Dataset row indices, already shuffled. */
  rows: Int32Array;
  folds: number;
  seed: number;
}

/** k-fold cross-validation over contiguous slices of shuffled rows, the preprocessing fitted on each training fold. */
function crossValidate(o: CvOptions): { mean: number; std: number; scores: number[]; fitMs: number } {
  const n = o.rows.length;
  const scores: number[] = [];
  let fitMs = 0;
  for (let f = 0; f < o.folds; f++) {
    const lo = Math.floor((f * n) / o.folds);
    const hi = Math.floor(((f + 1) * n) / o.folds);
    const test = o.rows.subarray(lo, hi);
    const train = new Int32Array(n - (hi - lo));
    train.set(o.rows.subarray(0, lo));
    train.set(o.rows.subarray(hi), lo);
    const a = performance.now();
    const pipeline = fitPipeline(o.features, train, { scale: o.estimator === "logistic_regression" });
    const predictor = fitEstimator(
      o.estimator,
      o.task,
      transform(pipeline, train.length, datasetAccessor(o.ds, train)),
      Float64Array.from(train, (i) => o.y[i]),
      o.nClasses,
      o.hp,
      o.seed,
    );
    fitMs += performance.now() - a;
    const ev = evaluatePredictor(
      o.task,
      predictor,
      transform(pipeline, test.length, datasetAccessor(o.ds, test)),
      Float64Array.from(test, (i) => o.y[i]),
      o.nClasses,
    );
    scores.push(ev.metrics[o.metric]);
  }
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  return { mean, std, scores, fitMs };
}

function isMissing(col: Column, i: number): boolean {
  return col.type === "number" ? Number.isNaN(col.values[i]) : col.values[i] === null;
}

const secs = (ms: number) => Math.round(ms) / 1000;
const fmt = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
