import type { DomainContext } from "../workspace/DomainContext.js";
import { DwError } from "../errors/DwError.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { readRun } from "../runs/readRun.js";
import { runRef } from "../runs/runId.js";
import { METRICS_LOG, readMetricsLog, type MetricPoint } from "../runs/readMetricsLog.js";
import { checkExperimentName } from "./Experiment.js";
import { readExperiment } from "./readExperiment.js";
import { attachRunToExperiment } from "./attachRunToExperiment.js";

export interface LoggedMetrics {
  run_id: string;
  step: number;
  /** The points this call appended. */
  points: MetricPoint[];
  /** Points in the run's metrics_log.jsonl after this call. */
  total_points: number;
  /** The new run commit. */
  commit: string;
  /** The experiment the run was attached to, with its head commit after that. */
  experiment?: { name: string; commit: string };
}

/**
 * Logs metric values for a run at a step: a new commit on refs/dw/runs/<run_id> whose parent is the
 * run's previous commit and whose tree adds the points to `metrics_log.jsonl`. The step defaults to
 * one past the run's last logged step (0 for the first). With `experiment`, the run is also attached
 * to that experiment. Everything is read and checked before the first write, so a failed call
 * writes nothing.
 *
 * @example
 * ```ts
 * const logged = await logRunMetrics(ctx, { runId: run.run_id, metrics: { val_rmse: 4.1 }, step: 1, experiment: "temp-features" });
 * ```
 */
export async function logRunMetrics(
  ctx: DomainContext,
  args: { runId: string; metrics: Record<string, number>; step?: number; experiment?: string },
): Promise<LoggedMetrics> {
  const keys = Object.keys(args.metrics);
  if (keys.length === 0) {
    throw new DwError("INVALID_INPUT", "No metrics to log: metrics is empty.", {
      hint: "Pass at least one, e.g. --metrics '{\"val_loss\": 0.31}'.",
      details: { field: "metrics" },
    });
  }
  for (const k of keys) {
    // A name goes into the commit's subject line.
    if (/[\r\n]/.test(k))
      throw new DwError("INVALID_INPUT", `Metric name ${JSON.stringify(k)} holds a line break.`, {
        hint: "Use a one-line name such as val_loss.",
        details: { field: `metrics.${k}` },
      });
  }
  if (args.experiment !== undefined) checkExperimentName(args.experiment, "experiment");
  const ws = ctx.workspace;
  const now = ctx.now();
  return ws.withLock(async () => {
    const { oid: runCommit, run } = await readRun(ws, args.runId, "run_id");
    const exp = args.experiment !== undefined ? await readExperiment(ws, args.experiment) : undefined;
    const log = await readMetricsLog(ws, runCommit, runRef(args.runId));
    const step = args.step ?? (log.length ? Math.max(...log.map((p) => p.step)) + 1 : 0);
    const timestamp = now.toISOString();
    const points: MetricPoint[] = keys.map((key) => ({ key, value: args.metrics[key], step, timestamp }));
    const all = [...log, ...points];
    const message = commitMessage(
      `dw run ${run.run_id}: log ${points.map((p) => `${p.key}=${p.value}`).join(" ")} at step ${step}`,
      [`${all.length} metric point(s) in ${METRICS_LOG}`],
      { "Dw-Run": run.run_id, "Dw-Tool": "log_metrics", "Dw-Experiment": exp?.experiment.name },
    );
    const files = { [METRICS_LOG]: `${all.map((p) => JSON.stringify(p)).join("\n")}\n` };
    const commit = await ws.commit({ ref: runRef(run.run_id), message, base: runCommit, parents: [runCommit], files, now });
    const attached = exp ? await attachRunToExperiment(ws, exp, run.run_id, now) : undefined;
    return {
      run_id: run.run_id,
      step,
      points,
      total_points: all.length,
      commit,
      ...(exp && attached ? { experiment: { name: exp.experiment.name, commit: attached.commit } } : {}),
    };
  });
}
