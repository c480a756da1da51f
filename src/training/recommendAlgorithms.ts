import { z } from "zod";
import type { Task } from "../models/estimators.js";
import type { DataCharacteristics } from "./dataCharacteristics.js";

/** Depth of the probe's shallow tree, and a deeper one to suggest a decision_tree depth. */
export const SHALLOW_DEPTH = 4;
export const DEEP_DEPTH = 8;
/** A shallow tree beating the linear model by more than this (in R² or accuracy) means non-linear structure. */
export const NONLINEAR_GAIN = 0.02;
/** Below this many rows, a forest's averaging is steadier than boosting, whose early stopping would hold out too few rows. */
const SMALL_DATA = 1_000;
/** From this many rows, boosting holds out a validation split and stops early (scikit-learn's "auto"). */
const EARLY_STOPPING_ROWS = 10_000;

/** The algorithms select_model chooses among. */
export const CANDIDATES = ["linear_regression", "logistic_regression", "decision_tree", "random_forest", "gradient_boosting"] as const;
export type Candidate = (typeof CANDIDATES)[number];

/** What the probe measured: cross-validated scores of the linear model and of a shallow and a deep tree. */
export const Nonlinearity = z.object({
  metric: z.enum(["r2", "accuracy"]),
  rows: z.number().int(),
  folds: z.number().int(),
  linear: z.number().describe("Cross-validated score of linear or logistic regression."),
  shallow_tree: z.number().describe(`Cross-validated score of a depth-${SHALLOW_DEPTH} decision tree.`),
  deep_tree: z.number().describe(`Cross-validated score of a depth-${DEEP_DEPTH} decision tree.`),
  gain: z.number().describe("shallow_tree − linear."),
  nonlinear: z.boolean(),
});
export type Nonlinearity = z.infer<typeof Nonlinearity>;

/** A bake-off's cross-validated score of one candidate. */
export const CvScore = z.object({
  metric: z.enum(["r2", "accuracy"]),
  mean: z.number(),
  std: z.number().describe("Standard deviation over folds (ddof=0, as scikit-learn's cv_results_)."),
  fold_scores: z.array(z.number()),
  fit_s: z.number().describe("Seconds spent fitting, all folds."),
  hyperparameters: z.record(z.string(), z.unknown()).describe("What the bake-off fitted (smaller ensembles than recommended, to be quick)."),
});
export type CvScore = z.infer<typeof CvScore>;

/** A recommended algorithm, the settings to train it with, and why. */
export const Recommendation = z.object({
  algorithm: z.enum(CANDIDATES),
  hyperparameters: z.record(z.string(), z.unknown()).describe("Settings to pass to train_model."),
  rationale: z.string(),
  cv: CvScore.optional().describe("The bake-off's score (quick only)."),
});
export type Recommendation = z.infer<typeof Recommendation>;

/**
 * Orders the candidates from the measured characteristics. Non-linear structure puts the tree
 * ensembles first; a relation the linear model fits as well as a tree puts it first, unless most
 * features are text; size decides between boosting and a forest.
 */
export function recommendAlgorithms(
  task: Task,
  ch: DataCharacteristics & { nonlinearity: Nonlinearity },
  linear: Candidate,
  treeDepth: number,
): Recommendation[] {
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

const fmt = (x: number) => x.toFixed(3);
