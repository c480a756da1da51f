/**
 * What a retraining answers (retrain_model's output, and the sidebar's Retrain result): the new
 * run, how it compares with the version serving, and what to do next. This file imports nothing
 * but zod and zod-only files, so that the labextension can compile it too (through src/comm/protocol.ts).
 */
import { z } from "zod";
import { TrainingDecisions } from "../training/TrainingDecisions.js";

export const RetrainThen = z
  .enum(["compare", "ab_test", "none"])
  .describe(
    "compare: score the serving version and the new model on the deployment's recent labelled requests; ab_test: register the new model as the next version and start an A/B test of it against the version serving; none: only train.",
  );
export type RetrainThen = z.infer<typeof RetrainThen>;

export const RetrainComparison = z.object({
  basis: z
    .enum(["labelled_window", "holdout"])
    .describe(
      "labelled_window: both models scored on the same recent requests whose labels arrived by feedback; holdout: too few labels arrived, so each run's metrics on its own held-out rows (not the same rows, and not live traffic).",
    ),
  rows: z.number().int().describe("Labelled requests both models scored (labelled_window), or the new run's held-out rows (holdout)."),
  labelled_rows: z.number().int().describe("Logged requests of the deployment with a label, in the window read."),
  min_labelled_rows: z.number().int().describe("Labelled requests needed to compare on live traffic."),
  metric: z.string().describe("The metric the verdict is on: rmse for a regression, accuracy for a classifier."),
  higher_is_better: z.boolean(),
  serving: z.record(z.string(), z.number()).describe("The serving version's metrics on those rows."),
  candidate: z.record(z.string(), z.number()).describe("The new model's metrics on those rows."),
  difference: z.number().nullable().describe("New minus serving, on `metric` (null when it cannot be computed)."),
  relative: z.number().nullable().describe("The difference as a share of the serving version's value (null when that is 0)."),
  p_value: z
    .number()
    .nullable()
    .describe("labelled_window: a paired z-test on the per-row losses (two-sided); null for holdout, or with no variation in the differences."),
  verdict: z
    .enum(["candidate_better", "serving_better", "no_clear_difference"])
    .describe("Which is better: on the window, only when p < 0.05; on the hold-outs, by the metric alone."),
  summary: z.string().describe("The comparison in a sentence."),
});
export type RetrainComparison = z.infer<typeof RetrainComparison>;

export const RetrainAbTest = z.object({
  model: z.string(),
  alias: z.string(),
  new_version: z.number().int().describe("The version the new run was registered as."),
  arms: z
    .array(z.object({ version: z.number().int(), weight: z.number() }))
    .describe("The arms, the version serving first; equal weights split the traffic in half."),
  min_sample_size: z.number().int().describe("Labelled rows each arm needs before a winner is declared."),
  commit: z.string().describe("The A/B test's start commit on refs/dw/abtests/<model>/<alias>."),
});
export type RetrainAbTest = z.infer<typeof RetrainAbTest>;

export const RetrainOutcome = z.object({
  model: z.string(),
  alias: z.string().nullable().describe("The alias whose traffic judged the new model (null when no alias serves the version retrained)."),
  serving: z.object({
    version: z.number().int(),
    run_id: z.string(),
    metrics: z.record(z.string(), z.number()).describe("The serving run's metrics on its own held-out rows."),
  }),
  dataset: z.object({
    dataset_id: z.string(),
    sha256: z.string(),
    rows: z.number().int(),
    changed: z.boolean().describe("Whether this is another version of the data than the serving version was trained on (another content hash)."),
  }),
  run_id: z.string().describe("The new run; its commit is refs/dw/runs/<run_id>."),
  commit: z.string(),
  algorithm: z.string(),
  task: z.enum(["regression", "classification"]),
  evaluation: z.enum(["holdout", "kfold"]),
  metrics: z.record(z.string(), z.number()).describe("The new run's metrics on its held-out rows (mean over folds for k-fold)."),
  gates: z.array(z.object({ gate: z.string(), status: z.string(), summary: z.string() })).describe("The training gates the new run passed."),
  override: z.object({ reason: z.string(), by: z.string(), gates: z.array(z.string()) }).optional(),
  // Optional so a sidebar still reads a retraining answered by a kernel from before decisions were reported.
  decisions: TrainingDecisions.optional().describe(
    "What the retraining decided and why: the serving version's task and features, every column left out, the gates' verdicts.",
  ),
  and_then: RetrainThen,
  comparison: RetrainComparison.nullable().describe("Set when and_then = compare."),
  ab_test: RetrainAbTest.nullable().describe("Set when and_then = ab_test."),
  next: z.array(z.string()).describe("What to do next, as %dw lines."),
});
export type RetrainOutcome = z.infer<typeof RetrainOutcome>;
