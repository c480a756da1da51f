import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { logRunMetrics } from "../experiments/logRunMetrics.js";

// zod already rejects NaN and ±Infinity; this says so in words a notebook user can act on.
const FiniteNumber = z.number({ error: (iss) => `must be a finite number, got ${iss.input === undefined ? "nothing" : String(iss.input)}` });

export const LogMetricsInput = z.strictObject({
  run_id: z.string().min(1).describe("The run to log to: the run_id that train_model returned."),
  metrics: z.record(z.string().min(1), FiniteNumber).describe('Metric values at this step, e.g. {"val_loss": 0.31, "r2": 0.84}.'),
  step: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("The step (epoch, iteration) these values belong to; defaults to one past the run's last logged step (0 for the first)."),
  experiment: z.string().min(1).optional().describe("Also attach the run to this experiment (made by create_experiment)."),
});
export type LogMetricsInput = z.infer<typeof LogMetricsInput>;

export const LogMetricsOutput = z.object({
  run_id: z.string(),
  step: z.number().int(),
  points: z.array(z.object({ key: z.string(), value: z.number(), step: z.number().int(), timestamp: z.string() })).describe("The points this call appended."),
  total_points: z.number().int().describe("Points in the run's metrics log after this call (committed and pending)."),
  commit: z
    .string()
    .describe(
      "The new run commit holding these points (parent: the previous one); refs/dw/runs/<run_id> points at it. In the kernel, which defers folds, the run commit the points were logged on: they are in the run's pending log at once (every reader of the run's metrics reads it) and committed on top of it before the cell's kernel reports idle, or 0.2 s after a burst.",
    ),
  experiment: z.string().optional(),
  experiment_commit: z.string().optional().describe("The experiment's head commit after attaching the run."),
});
export type LogMetricsOutput = z.infer<typeof LogMetricsOutput>;

/**
 * Logs metric values for a run at a step (an epoch, a boosting round, a CV fold) as a new commit
 * on refs/dw/runs/<run_id> whose parent is the run's previous commit and whose tree adds the points
 * to `metrics_log.jsonl`, so `git log` shows the run's history and the run keeps every file it had.
 * In the kernel a call only appends the points to the run's pending log (about a millisecond), and
 * what a cell logged becomes one commit before the kernel reports idle (src/experiments/
 * metricsWriter.ts); readers of the run's metrics see pending points as if committed. With
 * `experiment`, the run is also attached to that experiment.
 *
 * @example
 * ```ts
 * await dw.logMetrics({ run_id: run.run_id, metrics: { val_rmse: 4.1 }, step: 1, experiment: "temp-features" });
 * ```
 */
export const logMetrics = defineTool({
  name: "log_metrics",
  annotations: { effect: "writes" },
  description:
    "Log metric values (per step) to a run as a new commit on its ref (in the kernel: appended at once, committed once per cell or burst), optionally attaching the run to an experiment.",
  input: LogMetricsInput,
  output: LogMetricsOutput,
  magic: { positional: "run_id" },
  async run(input, ctx) {
    const logged = await logRunMetrics(ctx, { runId: input.run_id, metrics: input.metrics, step: input.step, experiment: input.experiment });
    const { experiment, ...rest } = logged;
    return { ...rest, ...(experiment ? { experiment: experiment.name, experiment_commit: experiment.commit } : {}) };
  },
});
