import { readdirSync } from "node:fs";
import type { DomainContext } from "../workspace/DomainContext.js";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readRun } from "../runs/readRun.js";
import { runRef } from "../runs/runId.js";
import { readCommittedMetricsLog } from "../runs/readMetricsLog.js";
import type { MetricPoint } from "../runs/MetricPoint.js";
import { pendingMetricsDir, pendingPointsOnHead, PENDING_FILE } from "../runs/pendingMetrics.js";
import { checkExperimentName } from "./Experiment.js";
import { readExperiment } from "./readExperiment.js";
import { attachRunToExperiment } from "./attachRunToExperiment.js";
import { appendOwnLines, foldOwnInOrder, inOrder, metricFoldsDeferred, ownFile } from "../runs/metricsWriter.js";

export interface LoggedMetrics {
  run_id: string;
  step: number;
  /** The points this call appended. */
  points: MetricPoint[];
  /** Points in the run's metrics log after this call: committed and pending. */
  total_points: number;
  /** The new run commit holding the points; when folds are deferred, the run commit they were logged on. */
  commit: string;
  /** The experiment the run was attached to, with its head commit after that. */
  experiment?: { name: string; commit: string };
}

/** What a run commit's own metrics_log.jsonl holds, read once per commit (a commit never changes). */
const committed = new Map<string, { points: number; maxStep: number }>();
const COMMITTED_KEPT = 1024;

/**
 * Logs metric values for a run at a step. The points are appended to the run's pending log
 * (src/runs/pendingMetrics.ts: one write, no lock) and folded into a new commit on
 * refs/dw/runs/<run_id> whose parent is the run's commit and whose `metrics_log.jsonl` adds them:
 * in this call, or, in a process that deferred folds (the kernel), soon after
 * (src/runs/metricsWriter.ts says when). Every reader of a run's metrics sees pending
 * points as if they were committed. The step defaults to one past the run's last logged
 * step (0 for the first). With `experiment`, the run is also attached to that experiment (a commit
 * on the experiment, only the first time). Everything is read and checked before the first write,
 * so a failed call writes nothing.
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
    // A name goes into the fold commit's subject line.
    if (/[\r\n]/.test(k))
      throw new DwError("INVALID_INPUT", `Metric name ${JSON.stringify(k)} holds a line break.`, {
        hint: "Use a one-line name such as val_loss.",
        details: { field: `metrics.${k}` },
      });
  }
  if (args.experiment !== undefined) checkExperimentName(args.experiment, "experiment");
  const ws = ctx.workspace;
  const now = ctx.now();
  return inOrder(ws, async () => {
    const head = await runHead(ws, args.runId);
    const exp = args.experiment !== undefined ? await readExperiment(ws, args.experiment) : undefined;
    const logged = await loggedSoFar(ws, args.runId, head);
    const step = args.step ?? (logged.points ? logged.maxStep + 1 : 0);
    const timestamp = now.toISOString();
    const points: MetricPoint[] = keys.map((key) => ({ key, value: args.metrics[key], step, timestamp }));
    const attached =
      exp && !exp.runs.includes(args.runId)
        ? await ws.withLock(async () => attachRunToExperiment(ws, await readExperiment(ws, exp.experiment.name), args.runId, now))
        : exp && { commit: exp.oid };
    await appendOwnLines(ws, args.runId, points.map((p) => `${JSON.stringify(p)}\n`).join(""), points.length, step);
    // Not deferred: this call's points (and any this process left pending) are its commit.
    const folded = metricFoldsDeferred() ? undefined : (await foldOwnInOrder(ws, { runs: [args.runId] })).find((f) => f.run_id === args.runId);
    return {
      run_id: args.runId,
      step,
      points,
      total_points: logged.points + points.length,
      commit: folded?.commit ?? head,
      ...(exp && attached ? { experiment: { name: exp.experiment.name, commit: attached.commit } } : {}),
    };
  });
}

/** Where the run's ref points, checked to be a run (its run.json read once per commit). */
const runs = new Set<string>();
async function runHead(ws: Workspace, runId: string): Promise<string> {
  const oid = await ws.readRef(runRef(runId)).catch(() => null);
  if (oid && runs.has(`${ws.gitdir}\0${oid}`)) return oid;
  const { oid: checked } = await readRun(ws, runId, "run_id");
  runs.add(`${ws.gitdir}\0${checked}`);
  return checked;
}

/** How many points the run has (committed and pending) and its highest step. */
async function loggedSoFar(ws: Workspace, runId: string, head: string): Promise<{ points: number; maxStep: number }> {
  const key = `${ws.gitdir}\0${head}`;
  let base = committed.get(key);
  if (!base) {
    const log = await readCommittedMetricsLog(ws, head, runRef(runId));
    base = { points: log.length, maxStep: log.reduce((m, p) => Math.max(m, p.step), -Infinity) };
    if (committed.size >= COMMITTED_KEPT) committed.delete(committed.keys().next().value!);
    committed.set(key, base);
  }
  let { points, maxStep } = base;
  const mine = ownFile(ws, runId);
  // Files of other processes (or left by ended ones) are read; this process's own is counted here.
  const others = await otherPendingFiles(ws, runId, mine?.id);
  if (others) {
    const pending = await pendingPointsOnHead(ws, runId, head);
    for (const p of pending.points) maxStep = Math.max(maxStep, p.step);
    points += pending.points.length;
  } else if (mine) {
    points += mine.points;
    maxStep = Math.max(maxStep, mine.maxStep);
  }
  return { points, maxStep };
}

async function otherPendingFiles(ws: Workspace, runId: string, mine: string | undefined): Promise<boolean> {
  let names: string[];
  try {
    names = readdirSync(pendingMetricsDir(ws, runId)); // one small directory: no thread-pool round trip
  } catch {
    names = [];
  }
  return names.some((n) => PENDING_FILE.test(n) && n !== `${mine}.jsonl`);
}
