import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { readRun } from "../runs/readRun.js";
import { lastMetricValues, readMetricsLog } from "../runs/readMetricsLog.js";
import { readExperiment } from "../experiments/readExperiment.js";
import { stableJson } from "../experiments/stableJson.js";

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
});
export type CompareExperimentsOutput = z.infer<typeof CompareExperimentsOutput>;

interface ComparedRun {
  run_id: string;
  created_at: string;
  algorithm: string;
  metrics: Record<string, number>;
  parameters: Record<string, unknown>;
}

// Errors and losses, also with a prefix such as val_ or train_ (val_rmse, train_loss).
const LOWER_IS_BETTER = /(^|_)(rmse|mae|mse|mape|loss|error)$/;
const DEFAULT_METRICS = ["r2", "accuracy", "f1", "roc_auc", "rmse", "mae", "log_loss"];

/**
 * Compares runs (those of an experiment, or a list) side by side: ranks them by a metric, gives
 * every metric's difference from the best run, and a table of the parameters that differ.
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
  description: "Compare runs of an experiment (or given run ids): rank by a metric, metric deltas against the best run, and the parameters that differ.",
  input: CompareExperimentsInput,
  output: CompareExperimentsOutput,
  magic: { positional: "experiment", aliases: { runs: "run_ids", by: "metric" } },
  async run(input, ctx) {
    const ws = ctx.workspace;
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
    const field = input.experiment !== undefined ? "experiment" : "run_ids";
    const ids = input.experiment !== undefined ? (await readExperiment(ws, input.experiment)).runs : [...new Set(input.run_ids)];
    if (ids.length < 2) {
      throw new DwError(
        "INVALID_INPUT",
        `Comparing needs at least two runs; ${input.experiment !== undefined ? `experiment '${input.experiment}' has` : "run_ids names"} ${ids.length}.`,
        {
          hint:
            input.experiment !== undefined
              ? `Attach runs with: %dw log_metrics <run_id> --metrics '{…}' --experiment ${input.experiment}`
              : "List two or more distinct run ids.",
          details: { field, runs: ids },
        },
      );
    }
    const runs: ComparedRun[] = [];
    for (const id of ids) {
      const { oid, run } = await readRun(ws, id, field);
      const logged = lastMetricValues(await readMetricsLog(ws, oid));
      const metrics: Record<string, number> = { ...run.metrics, ...Object.fromEntries(Object.entries(logged).map(([k, v]) => [k, v.value])) };
      runs.push({ run_id: run.run_id, created_at: run.created_at, algorithm: run.algorithm, metrics, parameters: run.parameters });
    }

    const allMetrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
    const metric = input.metric ?? DEFAULT_METRICS.find((m) => runs.every((r) => m in r.metrics)) ?? allMetrics.find((m) => runs.every((r) => m in r.metrics));
    if (metric === undefined || !runs.some((r) => metric in r.metrics)) {
      throw new DwError("INVALID_INPUT", metric === undefined ? "The runs share no metric to rank by." : `No run has the metric '${metric}'.`, {
        hint: allMetrics.length ? `Metrics the runs have: ${allMetrics.join(", ")}.` : "Log metrics first with log_metrics.",
        details: { field: "metric" },
      });
    }
    const higher = input.higher_is_better ?? !LOWER_IS_BETTER.test(metric);
    const score = (r: ComparedRun) => (metric in r.metrics ? (higher ? r.metrics[metric] : -r.metrics[metric]) : -Infinity);
    // Stable sort: ties keep the order the runs were given (attachment or list order).
    const ranked = [...runs].sort((a, b) => score(b) - score(a) || 0);
    const best = ranked[0];
    const differing = differingParameters(ranked);
    return {
      ...(input.experiment !== undefined ? { experiment: input.experiment } : {}),
      metric,
      higher_is_better: higher,
      best_run_id: best.run_id,
      runs: ranked.map((r) => ({
        ...r,
        rank: metric in r.metrics ? 1 + ranked.filter((o) => score(o) > score(r)).length : null,
        delta_vs_best: Object.fromEntries(allMetrics.map((m) => [m, m in r.metrics && m in best.metrics ? r.metrics[m] - best.metrics[m] : null])),
      })),
      differing_parameters: differing,
    };
  },
});

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
