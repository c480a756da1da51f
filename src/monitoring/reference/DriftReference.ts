import { z } from "zod";

/** Where a run commit keeps what drift checks compare with: the statistics of the training data. */
export const DRIFT_REFERENCE_PATH = "monitoring/reference.json";
/** And the seeded, row-aligned sample of that data (with the model's predictions on it), for the exact tests. */
export const DRIFT_SAMPLE_PATH = "monitoring/reference-sample.json";

/** Rows in the sample: enough for a KS test or a Wasserstein distance to be stable, small enough to keep in every run. */
export const REFERENCE_SAMPLE_ROWS = 5000;
/** Significant digits the sample's numbers keep (relative error ≤ 5e-6), which keeps 5,000 rows × 20 features to a few hundred KB. */
export const SAMPLE_DIGITS = 6;
/** Inner quantile edges per numeric column: every 5%. */
export const REFERENCE_QUANTILES = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
/** Categories kept per categorical column, commonest first; the rest are counted as one "other" count. */
export const REFERENCE_CATEGORIES = 100;
/** Distinct values are counted up to this many (Evidently's method choice looks at ≤ 2 and ≤ 5). */
export const DISTINCT_CAP = 1000;

const Base = {
  name: z.string(),
  count: z.number().int().min(0).describe("Rows with a value."),
  nulls: z.number().int().min(0),
  distinct: z.number().int().min(0).describe(`Distinct values, counted up to ${DISTINCT_CAP} (that many means at least).`),
};

/** One column of the reference: a model input, the target or the prediction. */
export const ReferenceColumn = z.discriminatedUnion("kind", [
  z.object({
    ...Base,
    kind: z.literal("number"),
    min: z.number().nullable(),
    max: z.number().nullable(),
    mean: z.number().nullable(),
    std: z.number().nullable().describe("Population standard deviation (ddof 0)."),
    edges: z.array(z.number()).describe("Ascending inner bin edges (every 5% quantile, repeats removed); bin i holds edges[i-1] <= v < edges[i]."),
    bin_counts: z.array(z.number().int()).describe("Values per bin: edges.length + 1 counts."),
  }),
  z.object({
    ...Base,
    kind: z.literal("category"),
    categories: z.array(z.string()).describe(`The ${REFERENCE_CATEGORIES} commonest values (as text), commonest first.`),
    category_counts: z.array(z.number().int()).describe("Count per category, in the same order."),
    other: z.number().int().min(0).describe("Values not among the categories kept."),
  }),
]);
export type ReferenceColumn = z.infer<typeof ReferenceColumn>;

/** `monitoring/reference.json`: what a drift check needs from the training data, without reading it again. */
export const DriftReference = z.object({
  format: z.literal("dw.drift-reference/1"),
  run_id: z.string(),
  task: z.enum(["regression", "classification"]),
  classes: z.array(z.string()).optional().describe("A classifier's class labels, as text, in the model's order."),
  rows: z.number().int().min(0).describe("The rows the reference describes: the run's rows that have a target (training and hold-out)."),
  data: z.object({ dataset_id: z.string(), sha256: z.string() }),
  features: z.array(ReferenceColumn).describe("The model's inputs (model.json signature), in its order, but dates."),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })).describe("Inputs not checked for drift: dates, whose new values are always new."),
  target: ReferenceColumn,
  prediction: ReferenceColumn.describe("The model's predictions on the sampled rows (class labels as text for a classifier)."),
  sample: z.object({ rows: z.number().int().min(0), seed: z.number().int(), path: z.string() }),
  performance: z
    .object({
      evaluation: z.enum(["holdout", "kfold"]),
      metrics: z.record(z.string(), z.number()),
    })
    .describe("The run's hold-out metrics (mean over folds for k-fold), which labelled traffic is compared with."),
});
export type DriftReference = z.infer<typeof DriftReference>;

const SampleValues = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("number"), values: z.array(z.number().nullable()) }),
  z.object({
    kind: z.literal("category"),
    dictionary: z.array(z.string()),
    codes: z.array(z.number().int().min(0).nullable()).describe("Index into dictionary per sampled row; null is a missing value."),
  }),
]);
export type SampleValues = z.infer<typeof SampleValues>;

/** `monitoring/reference-sample.json`: the same rows of every column, by role. */
export const ReferenceSampleFile = z.object({
  format: z.literal("dw.drift-sample/1"),
  rows: z.number().int().min(0),
  features: z.record(z.string(), SampleValues),
  target: SampleValues,
  prediction: SampleValues,
});
export type ReferenceSampleFile = z.infer<typeof ReferenceSampleFile>;

/** A sampled column in memory: numbers with NaN for a missing value, or text with null. */
export type SampleColumn = { kind: "number"; values: Float64Array } | { kind: "category"; values: (string | null)[] };

/** A reference as drift checks use it: the statistics and the sample, decoded. */
export interface LoadedDriftReference {
  reference: DriftReference;
  sample: { rows: number; features: Map<string, SampleColumn>; target: SampleColumn; prediction: SampleColumn };
  /** stored: read from the run commit; rebuilt: built now from the run's cached data (a run made before references were stored). */
  origin: "stored" | "rebuilt";
}
