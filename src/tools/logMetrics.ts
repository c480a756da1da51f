import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { readRun } from "../runs/readRun.js";
import { runRef } from "../runs/runId.js";
import { METRICS_LOG, readMetricsLog, type MetricPoint } from "../runs/readMetricsLog.js";
import { readExperiment } from "../experiments/readExperiment.js";
import { checkExperimentName } from "../experiments/Experiment.js";
import { attachRunToExperiment } from "../experiments/attachRunToExperiment.js";

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
  total_points: z.number().int().describe("Points in the run's metrics_log.jsonl after this call."),
  commit: z.string().describe("The new run commit (parent: the previous one); refs/dw/runs/<run_id> points at it."),
  experiment: z.string().optional(),
  experiment_commit: z.string().optional().describe("The experiment's head commit after attaching the run."),
});
export type LogMetricsOutput = z.infer<typeof LogMetricsOutput>;

/**
 * Logs metric values for a run at a step (an epoch, a boosting round, a CV fold). Each call is a
 * new commit on refs/dw/runs/<run_id> whose parent is the run's previous commit and whose tree
 * adds the points to `metrics_log.jsonl`, so `git log` shows the run's history and the run keeps
 * every file it had. With `experiment`, the run is also attached to that experiment.
 *
 * @example
 * ```ts
 * await dw.logMetrics({ run_id: run.run_id, metrics: { val_rmse: 4.1 }, step: 1, experiment: "temp-features" });
 * ```
 */
export const logMetrics = defineTool({
  name: "log_metrics",
  annotations: { effect: "writes" },
  description: "Log metric values (per step) to a run as a new commit on its ref, optionally attaching the run to an experiment.",
  input: LogMetricsInput,
  output: LogMetricsOutput,
  magic: { positional: "run_id" },
  async run(input, ctx) {
    const keys = Object.keys(input.metrics);
    if (keys.length === 0) {
      throw new DwError("INVALID_INPUT", "No metrics to log: metrics is empty.", {
        hint: "Pass at least one, e.g. --metrics '{\"val_loss\": 0.31}'.",
        details: { field: "metrics" },
      });
    }
    for (const k of keys) {
      if (/[\r\n]/.test(k))
        throw new DwError("INVALID_INPUT", `Metric name ${JSON.stringify(k)} holds a line break.`, {
          hint: "Use a one-line name such as val_loss.",
          details: { field: `metrics.${k}` },
        });
    }
    if (input.experiment !== undefined) checkExperimentName(input.experiment, "experiment");
    const ws = ctx.workspace;
    const now = ctx.now();
    return ws.withLock(async () => {
      // Everything is read and checked before the first write, so a failed call writes nothing.
      const { oid: runCommit, run } = await readRun(ws, input.run_id, "run_id");
      const exp = input.experiment !== undefined ? await readExperiment(ws, input.experiment) : undefined;
      const log = await readMetricsLog(ws, runCommit);
      const step = input.step ?? (log.length ? Math.max(...log.map((p) => p.step)) + 1 : 0);
      const timestamp = now.toISOString();
      const points: MetricPoint[] = keys.map((key) => ({ key, value: input.metrics[key], step, timestamp }));
      const all = [...log, ...points];
      const message = [
        `dw run ${run.run_id}: log ${points.map((p) => `${p.key}=${p.value}`).join(" ")} at step ${step}`,
        "",
        `${all.length} metric point(s) in ${METRICS_LOG}`,
        "",
        `Dw-Run: ${run.run_id}`,
        `Dw-Tool: log_metrics`,
        exp ? `Dw-Experiment: ${exp.experiment.name}` : undefined,
      ]
        .filter((l) => l !== undefined)
        .join("\n");
      const files = { [METRICS_LOG]: all.map((p) => JSON.stringify(p)).join("\n") + "\n" };
      const commit = await ws.commit({ ref: runRef(run.run_id), message, base: runCommit, parents: [runCommit], files, now });
      const attached = exp ? await attachRunToExperiment(ws, exp, run.run_id, now) : undefined;
      return {
        run_id: run.run_id,
        step,
        points,
        total_points: all.length,
        commit,
        ...(exp && attached ? { experiment: exp.experiment.name, experiment_commit: attached.commit } : {}),
      };
    });
  },
});
