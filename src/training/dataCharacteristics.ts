import { z } from "zod";
import type { Column } from "../data/Dataset.js";
import { mean, skewness } from "../data/statistics.js";
import { fitPipeline } from "../models/preprocessing.js";
import type { TrainingData } from "./prepareTrainingData.js";

/** A class this rare or rarer makes accuracy misleading. */
const IMBALANCED = 0.1;

/** What the training data is like, as select_model reports it (its non-linearity probe aside). */
export const DataCharacteristics = z.object({
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
});
export type DataCharacteristics = z.infer<typeof DataCharacteristics>;

/**
 * Measures the training data: size, column types, missing values, how wide one-hot encoding makes
 * it, and the target's class balance (classification) or skewness (regression); `notes` says what
 * of that should change how a model is chosen or judged.
 *
 * @example
 * ```ts
 * const { characteristics, notes } = dataCharacteristics(data);
 * ```
 */
export function dataCharacteristics(data: TrainingData): { characteristics: DataCharacteristics; notes: string[] } {
  const { features, keep, y, classes, nClasses } = data;
  const types = { number: 0, boolean: 0, date: 0, string: 0 };
  for (const c of features) types[c.type]++;
  let missing = 0;
  for (const c of features) for (const i of keep) missing += isMissing(c, i) ? 1 : 0;
  const encoded = fitPipeline(features, keep, { scale: false }).feature_names.length;
  const ch: DataCharacteristics = {
    rows: keep.length,
    features: features.length,
    encoded_features: encoded,
    column_types: types,
    categorical_share: types.string / features.length,
    missing_share: missing / (features.length * keep.length),
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
    ch.target_skewness = skewness(t, mean(t), t.length);
    if ((ch.target_skewness ?? 0) > 1)
      notes.push(
        `The target is right-skewed (skewness ${fmt(ch.target_skewness!)}): squared-error models chase the large values; consider predicting log1p(${data.target}).`,
      );
  }
  if (ch.missing_share > 0)
    notes.push(`${pct(ch.missing_share)} of feature values are missing; every algorithm here imputes them (median, mode) in its fitted pipeline.`);
  if (encoded > keep.length / 10)
    notes.push(`${encoded} encoded columns for ${keep.length} rows: expect overfitting; regularize (l2, C, min_samples_leaf) or drop features.`);
  return { characteristics: ch, notes };
}

function isMissing(col: Column, i: number): boolean {
  return col.type === "number" ? Number.isNaN(col.values[i]) : col.values[i] === null;
}

const fmt = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
