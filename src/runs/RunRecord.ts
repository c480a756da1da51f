import { z } from "zod";
import { DatasetFormat } from "../data/datasetRecords.js";
import { NotebookSource } from "../execution/ExecutionRecord.js";

// The documents of a run commit (refs/dw/runs/<run_id>), as train_model writes them. Their keys are
// in the order the writer puts them, so a document read and shown again keeps its order. Objects
// are loose: a field a later dw adds is kept, not refused.

/** A column of the data a run saw, as its dataset record described it. */
export const RunColumn = z.looseObject({ name: z.string(), type: z.string(), nulls: z.number() });

/** `params.json` (and run.json's `parameters`): everything needed to train the run again. */
export const TrainingParameters = z.looseObject({
  dataset_id: z.string(),
  target: z.string(),
  features: z.array(z.string()),
  algorithm: z.string(),
  /** Absent in runs of the first dw, which trained regressions only. */
  task: z.string().optional(),
  /** As the user gave them (no defaults added): see src/models/hyperparameters.ts. */
  hyperparameters: z.record(z.string(), z.unknown()),
  test_size: z.number(),
  /** null for a holdout; absent in runs of the first dw (a holdout too). */
  cv_folds: z.number().int().nullable().optional(),
  seed: z.number(),
  /** The named feature pipeline the run used, when it used one. */
  pipeline: z.looseObject({ name: z.string(), version: z.number().int(), commit: z.string() }).optional(),
});
export type TrainingParameters = z.infer<typeof TrainingParameters>;

/** run.json's `data`: the dataset the run saw, down to its bytes' hash. */
export const RunData = z.looseObject({
  dataset_id: z.string(),
  source: z.string(),
  sha256: z.string(),
  size_bytes: z.number(),
  rows: z.number(),
  rows_used: z.number(),
  columns: z.array(RunColumn),
});
export type RunData = z.infer<typeof RunData>;

/** `run.json` at the root of a run commit's tree: what a listing of runs shows without reading the rest. */
export const RunRecord = z.looseObject({
  run_id: z.string(),
  tool: z.string(),
  created_at: z.string(),
  algorithm: z.string(),
  task: z.string(),
  target: z.string(),
  features: z.array(z.string()),
  parameters: TrainingParameters,
  metrics: z.record(z.string(), z.number()),
  timings: z.record(z.string(), z.number()),
  data: RunData,
  origin: z.looseObject({
    via: z.string(),
    notebook_path: z.string().optional(),
    has_cell: z.boolean(),
    cell_id: z.string().optional(),
    /** Where notebook.ipynb came from ("browser": unsaved edits included); null without a notebook; absent in runs made before it was recorded. */
    notebook_source: NotebookSource.nullable().optional(),
    /** Whether the commit holds execution/history.json and history.ts; absent in runs made before they were written. */
    history: z.boolean().optional(),
  }),
});
export type RunRecord = z.infer<typeof RunRecord>;

/**
 * The part of run.json that names the dataset a run was trained on: what a scan over every run
 * reads to find the runs of one dataset (a run whose other fields are damaged still says it).
 */
export const RunDatasetId = z.looseObject({ data: z.looseObject({ dataset_id: z.string() }) });

/** `metrics.json`: the run's metrics and, for a classifier, its confusion matrix (rows are true classes). */
export const RunMetrics = z.object({ confusion_matrix: z.array(z.array(z.number())).optional() }).catchall(z.number());
export type RunMetrics = z.infer<typeof RunMetrics>;

/**
 * `data/manifest.json`: run.json's `data` plus what it takes to read the cached copy again (its
 * format and delimiter; absent in runs made before datasets had formats, which were CSV) and the
 * dataset's schema.
 */
export const DataManifest = RunData.extend({
  format: DatasetFormat.optional(),
  delimiter: z.string().optional(),
  schema: z.array(RunColumn),
});
export type DataManifest = z.infer<typeof DataManifest>;
