import type { DriftReport } from "./DriftReport.js";
import type { LoadedDriftReference, SampleColumn } from "./reference/DriftReference.js";

/** A column as a drift check reads it: numbers (NaN missing) or text (null missing). */
export type DriftValues = SampleColumn;

/** A categorical column's counts over all its rows, when the values at hand are only a sample of them. */
export interface FullCounts {
  categories: string[];
  counts: number[];
  /** Values of categories not listed. */
  other: number;
  nulls: number;
}

/** What a drift check compares against: the training data (a run's stored reference) or a baseline dataset. */
export interface DriftBaseline {
  describe: DriftReport["reference"];
  task: "regression" | "classification";
  /** The model's inputs to compare, in its order, each as numbers or categories. */
  columns: { name: string; kind: "number" | "category" }[];
  /** Inputs left out, and why. */
  skipped: { column: string; reason: string }[];
  /** Rows the baseline stands for (more than its values hold when they are a sample): Evidently's method choice reads it. */
  rows: number;
  features: Map<string, DriftValues>;
  prediction: DriftValues | null;
  /** Values present per column over every row the baseline stands for (Evidently's method choice counts them). */
  present: Map<string, number>;
  /** Categories counted over every row (the stored reference's); preferred to the sample's values. */
  fullCounts?: Map<string, FullCounts>;
  /** The run's hold-out metrics and class labels (as text), for performance on labelled traffic. */
  performance?: { metrics: Record<string, number>; classes?: string[] };
}

/** What is compared with the baseline: a window of logged traffic or a dataset. */
export interface DriftCurrent {
  describe: DriftReport["current"];
  rows: number;
  features: Map<string, DriftValues>;
  prediction: DriftValues | null;
  /** Inputs that cannot be compared in this window (not logged in clear, absent), and why. */
  skipped?: { column: string; reason: string }[];
  /** Rows with a known true label: the label and the model's prediction for each. */
  labelled?: { truth: (number | string)[]; predicted: (number | string)[] };
}

/**
 * The stored reference of a run as a baseline: numbers from its seeded sample (with the real row
 * count, so the method is the one the whole data would get), categories from its full counts.
 *
 * @example
 * ```ts
 * const baseline = baselineFromReference(await readDriftReference(ws, runId));
 * ```
 */
export function baselineFromReference(loaded: LoadedDriftReference): DriftBaseline {
  const r = loaded.reference;
  const fullCounts = new Map<string, FullCounts>();
  const present = new Map(r.features.map((c) => [c.name, c.count]));
  for (const c of r.features) {
    if (c.kind === "category") fullCounts.set(c.name, { categories: c.categories, counts: c.category_counts, other: c.other, nulls: c.nulls });
  }
  return {
    describe: { source: "run", run_id: r.run_id, dataset_id: r.data.dataset_id, rows: r.rows, compared_rows: loaded.sample.rows },
    task: r.task,
    columns: r.features.map((c) => ({ name: c.name, kind: c.kind })),
    skipped: r.skipped.map((s) => ({ column: s.name, reason: s.reason })),
    rows: r.rows,
    features: loaded.sample.features,
    prediction: loaded.sample.prediction,
    present,
    fullCounts,
    performance: { metrics: r.performance.metrics, ...(r.classes ? { classes: r.classes } : {}) },
  };
}
