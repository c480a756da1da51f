import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { compareRuns } from "../experiments/compareRuns.js";
import { LINE_DIFF_LIMITS } from "../experiments/lineDiff.js";

export const CompareExperimentsInput = z.strictObject({
  experiment: z.string().min(1).optional().describe("Compare the runs attached to this experiment."),
  run_ids: z.array(z.string().min(1)).optional().describe("Or compare these runs (at least two)."),
  metric: z.string().min(1).optional().describe("Metric to rank by; defaults to r2 when the runs have it."),
  higher_is_better: z
    .boolean()
    .optional()
    .describe(
      "Direction of the ranking metric; by default lower is better for rmse, mae, mse, mape, log_loss, loss and error (also prefixed, e.g. val_rmse), higher for the rest.",
    ),
});
export type CompareExperimentsInput = z.infer<typeof CompareExperimentsInput>;

const RunData = z.object({ dataset_id: z.string(), sha256: z.string(), rows: z.number().int() });

export const CodeDiff = z.object({
  from_run: z.string().describe("The older run."),
  to_run: z.string().describe("The newer run."),
  status: z
    .enum(["same", "different", "no_cell", "too_large"])
    .describe("no_cell: a run was not made from a notebook cell; too_large: the cells differ beyond what is diffed (see note)."),
  of: z
    .enum(["history", "notebook", "cell"])
    .describe(
      "What was diffed: history (execution/history.ts, the code the kernel ran before each run, in order) when both runs have it, else notebook (notebook.ts, the notebook as a script), else cell (cell.ts, the training cell).",
    ),
  path: z.string().describe("The diffed file's path in each run commit."),
  added: z.number().int().describe("Lines added."),
  removed: z.number().int().describe("Lines removed."),
  diff: z
    .string()
    .describe(
      `A unified diff (3 lines of context) of the two runs' files at path; empty unless status is different. Bounded: up to ${LINE_DIFF_LIMITS.maxLines} changed lines a side and ${LINE_DIFF_LIMITS.maxEdits} edits.`,
    ),
  note: z.string().optional().describe("Why there is no diff, and how to see the cells."),
});

export const DataDiff = z.object({
  from_run: z.string().describe("The older run."),
  to_run: z.string().describe("The newer run."),
  same_data: z.boolean().describe("Both runs saw the same bytes (equal sha256)."),
  same_schema: z.boolean().describe("Both runs saw the same columns with the same types."),
  from: RunData,
  to: RunData,
  rows_change: z.number().int().describe("The newer run's rows minus the older's."),
  rows_added: z.number().int().describe("How many rows more the newer data has (0 when fewer); counts, as a run stores no row identities."),
  rows_removed: z.number().int().describe("How many rows fewer the newer data has (0 when more)."),
  summary: z.string().describe("The data diff in one sentence."),
  columns_added: z.array(z.string()),
  columns_removed: z.array(z.string()),
  columns_type_changed: z.array(z.object({ column: z.string(), from: z.string(), to: z.string() })),
});

export const CompareExperimentsOutput = z.object({
  experiment: z.string().optional(),
  metric: z.string().describe("The metric the runs are ranked by."),
  higher_is_better: z.boolean(),
  best_run_id: z.string(),
  runs: z
    .array(
      z.object({
        run_id: z.string(),
        rank: z.number().int().nullable().describe("1 is best; equal values share a rank; null when the run lacks the metric."),
        created_at: z.string(),
        algorithm: z.string(),
        metrics: z
          .record(z.string(), z.number())
          .describe("run.json's metrics, overlaid with the last logged value (highest step) of each key in metrics_log.jsonl."),
        delta_vs_best: z.record(z.string(), z.number().nullable()).describe("This run's value minus the best run's, per metric; null when either lacks it."),
        parameters: z.record(z.string(), z.unknown()),
      }),
    )
    .describe("Best first."),
  differing_parameters: z
    .array(
      z.object({
        parameter: z.string().describe("Dotted path, e.g. hyperparameters.l2."),
        values: z.record(z.string(), z.unknown()).describe("run_id → value (null when the run lacks it)."),
      }),
    )
    .describe("The parameters whose values differ between the runs."),
  code_diff: CodeDiff.optional().describe("For exactly two runs: how the code changed from the older run to the newer (see of)."),
  data_diff: DataDiff.optional().describe("For exactly two runs: how the data changed from the older run to the newer."),
});
export type CompareExperimentsOutput = z.infer<typeof CompareExperimentsOutput>;

/**
 * Compares runs (those of an experiment, or a list) side by side: ranks them by a metric, gives
 * every metric's difference from the best run, and a table of the parameters that differ; for two
 * runs, also a diff of their training cells' code and what changed in their data.
 *
 * @example
 * ```ts
 * const cmp = await dw.compareExperiments({ experiment: "temp-features" });
 * cmp.best_run_id; cmp.differing_parameters; // [{ parameter: "hyperparameters.l2", values: {…} }]
 * ```
 */
export const compareExperiments = defineTool({
  name: "compare_experiments",
  annotations: { effect: "reads" },
  description:
    "Compare runs of an experiment (or given run ids): rank by a metric, metric deltas against the best run, the parameters that differ; for two runs, a diff of their cells' code and what changed in the data.",
  input: CompareExperimentsInput,
  output: CompareExperimentsOutput,
  magic: { positional: "experiment", aliases: { runs: "run_ids", by: "metric" } },
  async run(input, ctx) {
    if ((input.experiment === undefined) === (input.run_ids === undefined)) {
      throw new DwError(
        "INVALID_INPUT",
        input.experiment === undefined ? "Nothing to compare: give an experiment or run_ids." : "Give an experiment or run_ids, not both.",
        {
          hint: 'e.g. %dw compare_experiments temp-features, or --run_ids \'["<run id>", "<run id>"]\'.',
          details: { field: input.experiment === undefined ? "experiment" : "run_ids" },
        },
      );
    }
    const source = input.experiment !== undefined ? { experiment: input.experiment } : { runIds: input.run_ids ?? [] };
    const comparison = await compareRuns(ctx.workspace, { ...source, metric: input.metric, higherIsBetter: input.higher_is_better });
    return { ...(input.experiment !== undefined ? { experiment: input.experiment } : {}), ...comparison };
  },
});
