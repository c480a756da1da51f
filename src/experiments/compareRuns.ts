import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readRun } from "../runs/readRun.js";
import { runRef } from "../runs/runId.js";
import { lastMetricValues, readMetricsLog } from "../runs/readMetricsLog.js";
import { readExperiment } from "./readExperiment.js";
import { stableJson } from "../workspace/stableJson.js";
import { diffRuns, type CodeDiff, type DataDiff, type ReadRun } from "./diffRuns.js";
import { foldOwnMetrics } from "../runs/metricsWriter.js";

interface ComparedRun {
  run_id: string;
  created_at: string;
  algorithm: string;
  /** run.json's metrics, overlaid with the last logged value (highest step) of each key in metrics_log.jsonl. */
  metrics: Record<string, number>;
  parameters: Record<string, unknown>;
}

/** Runs side by side, best first. */
export interface RunComparison {
  metric: string;
  higher_is_better: boolean;
  best_run_id: string;
  /** Each run with its rank (1 is best, ties share one, null without the metric) and every metric's difference from the best run. */
  runs: (ComparedRun & { rank: number | null; delta_vs_best: Record<string, number | null> })[];
  /** Dotted parameter paths whose values differ between the runs, with each run's value. */
  differing_parameters: { parameter: string; values: Record<string, unknown> }[];
  /** For two runs: how the training cell changed from the older run to the newer. */
  code_diff?: CodeDiff;
  /** For two runs: how the data changed from the older run to the newer. */
  data_diff?: DataDiff;
}

// Errors and losses, also with a prefix such as val_ or train_ (val_rmse, train_loss).
const LOWER_IS_BETTER = /(^|_)(rmse|mae|mse|mape|loss|error)$/;
const DEFAULT_METRICS = ["r2", "accuracy", "f1", "roc_auc", "rmse", "mae", "log_loss"];

/**
 * Compares runs (those attached to an experiment, or a list of run ids) side by side: ranks them
 * by a metric (by default r2, or the first of the usual metrics they all have), gives every
 * metric's difference from the best run, and the parameters that differ. Lower is better for
 * errors and losses unless `higherIsBetter` says otherwise. For exactly two runs, also what
 * changed from the older to the newer: the training cell's code and the data (see diffRuns).
 *
 * @example
 * ```ts
 * const cmp = await compareRuns(ws, { experiment: "temp-features" });
 * cmp.best_run_id;
 * ```
 */
export async function compareRuns(
  ws: Workspace,
  args: ({ experiment: string; runIds?: undefined } | { experiment?: undefined; runIds: string[] }) & { metric?: string; higherIsBetter?: boolean },
): Promise<RunComparison> {
  // Points this process logged are committed first, so the runs compared are the commits with them
  // (other processes' pending points are read as readMetricsLog reads them).
  await foldOwnMetrics(ws, { sweep: false });
  const field = args.experiment !== undefined ? "experiment" : "run_ids";
  const ids = args.experiment !== undefined ? (await readExperiment(ws, args.experiment)).runs : [...new Set(args.runIds)];
  if (ids.length < 2) {
    throw new DwError(
      "INVALID_INPUT",
      `Comparing needs at least two runs; ${args.experiment !== undefined ? `experiment '${args.experiment}' has` : "run_ids names"} ${ids.length}.`,
      {
        hint:
          args.experiment !== undefined
            ? `Attach runs with: %dw log_metrics <run_id> --metrics '{…}' --experiment ${args.experiment}`
            : "List two or more distinct run ids.",
        details: { field, runs: ids },
      },
    );
  }
  const runs: ComparedRun[] = [];
  const read: ReadRun[] = [];
  for (const id of ids) {
    const { oid, run } = await readRun(ws, id, field);
    read.push({ run_id: id, oid, run });
    const logged = lastMetricValues(await readMetricsLog(ws, oid, runRef(id)));
    const metrics: Record<string, number> = { ...run.metrics, ...Object.fromEntries(Object.entries(logged).map(([k, v]) => [k, v.value])) };
    runs.push({ run_id: run.run_id, created_at: run.created_at, algorithm: run.algorithm, metrics, parameters: run.parameters });
  }

  const allMetrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const metric = args.metric ?? DEFAULT_METRICS.find((m) => runs.every((r) => m in r.metrics)) ?? allMetrics.find((m) => runs.every((r) => m in r.metrics));
  if (metric === undefined || !runs.some((r) => metric in r.metrics)) {
    throw new DwError("INVALID_INPUT", metric === undefined ? "The runs share no metric to rank by." : `No run has the metric '${metric}'.`, {
      hint: allMetrics.length ? `Metrics the runs have: ${allMetrics.join(", ")}.` : "Log metrics first with log_metrics.",
      details: { field: "metric" },
    });
  }
  const higher = args.higherIsBetter ?? !LOWER_IS_BETTER.test(metric);
  const score = (r: ComparedRun) => (metric in r.metrics ? (higher ? r.metrics[metric] : -r.metrics[metric]) : -Infinity);
  // Stable sort: ties keep the order the runs were given (attachment or list order).
  const ranked = [...runs].sort((a, b) => score(b) - score(a) || 0);
  const best = ranked[0];
  return {
    metric,
    higher_is_better: higher,
    best_run_id: best.run_id,
    runs: ranked.map((r) => ({
      ...r,
      rank: metric in r.metrics ? 1 + ranked.filter((o) => score(o) > score(r)).length : null,
      delta_vs_best: Object.fromEntries(allMetrics.map((m) => [m, m in r.metrics && m in best.metrics ? r.metrics[m] - best.metrics[m] : null])),
    })),
    differing_parameters: differingParameters(ranked),
    ...(read.length === 2 ? await diffRuns(ws, ...olderFirst(read[0], read[1])) : {}),
  };
}

/** Two runs in time order (created_at, then run id), so a diff reads as what changed since. */
function olderFirst(a: ReadRun, b: ReadRun): [ReadRun, ReadRun] {
  const key = (r: ReadRun) => `${r.run.created_at}\0${r.run_id}`;
  return key(a) <= key(b) ? [a, b] : [b, a];
}

/** Parameters flattened to dotted paths (arrays stay whole), keeping the paths whose values are not all equal. */
function differingParameters(runs: { run_id: string; parameters: Record<string, unknown> }[]): { parameter: string; values: Record<string, unknown> }[] {
  const flat = runs.map((r) => flatten(r.parameters, ""));
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const out = [];
  for (const parameter of paths) {
    const vals = flat.map((f) => (f.has(parameter) ? f.get(parameter) : null));
    if (new Set(vals.map(stableJson)).size > 1) out.push({ parameter, values: Object.fromEntries(runs.map((r, i) => [r.run_id, vals[i]])) });
  }
  return out;
}

function flatten(v: Record<string, unknown>, prefix: string, out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, x] of Object.entries(v)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (x !== null && typeof x === "object" && !Array.isArray(x) && Object.keys(x).length > 0) flatten(x as Record<string, unknown>, path, out);
    else out.set(path, x === undefined ? null : x);
  }
  return out;
}
