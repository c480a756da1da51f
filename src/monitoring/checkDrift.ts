import type { DriftMethod } from "./drift/DriftMethod.js";
import type { ColumnDrift, DriftReport } from "./DriftReport.js";
import type { DriftBaseline, DriftCurrent } from "./DriftSide.js";
import { type ColumnJob, compareColumn } from "./compareColumn.js";
import { labelledPerformance } from "./labelledPerformance.js";

/** How to judge drift: a method for every column (default: Evidently's choice per column), its threshold, and the dataset's share. */
export interface DriftOptions {
  method?: DriftMethod;
  /** The method's threshold: a p-value for ks, chisquare and z, a distance for the others (default: the method's). */
  threshold?: number;
  /** Dataset drift when at least this share of the compared columns drift (default 0.5, as Evidently). */
  driftShare?: number;
}

/** Evidently's DataDriftPreset share: dataset drift when half the columns drift. */
export const DEFAULT_DRIFT_SHARE = 0.5;

/**
 * Compares current data with a baseline, column by column, as Evidently's DataDriftPreset does:
 * each model input with the method asked or the one Evidently would pick (by the column's type,
 * the baseline's real row count and the distinct values), each a verdict against the threshold;
 * the share of drifted columns and dataset drift at `driftShare`; the prediction's drift; and,
 * where labels arrived, performance against the run's hold-out. Columns without values on either
 * side are skipped with the reason. A method that cannot judge a column's type is INVALID_INPUT.
 *
 * @example
 * ```ts
 * const report = checkDrift(baselineFromReference(ref), currentFromLog(records, ref.reference, labels), { driftShare: 0.5 });
 * report.drifted_columns; // ["c00", "c01"]
 * ```
 */
export function checkDrift(baseline: DriftBaseline, current: DriftCurrent, options: DriftOptions = {}): DriftReport {
  const plan = planDrift(baseline, current);
  const judging = { method: options.method, threshold: options.threshold };
  const results = plan.entries.map((e) => ("job" in e ? compareColumn(e.job, judging) : e.skip.reason));
  const predictionJob = plan.prediction();
  const prediction = predictionJob ? compareColumn(predictionJob, judging) : null;
  return driftReportOf(baseline, current, plan, results, prediction, options);
}

/** A drift check's columns in the baseline's order, each to compare or skipped with the reason, and the prediction's comparison. */
export interface DriftPlan {
  /** Skipped before any column is compared: the sides' own (not comparable in this data). */
  skipped: { column: string; reason: string }[];
  entries: ({ job: ColumnJob } | { skip: { column: string; reason: string } })[];
  /** The prediction as a column, or null when a side has none (read only when called: a dataset side predicts on first read). */
  prediction: () => ColumnJob | null;
}

/** What checkDrift compares, column by column: the model inputs both sides hold, in the baseline's order. */
export function planDrift(baseline: DriftBaseline, current: DriftCurrent): DriftPlan {
  const skipped = [...baseline.skipped, ...(current.skipped ?? [])];
  const leftOut = new Set(skipped.map((s) => s.column));
  const entries: DriftPlan["entries"] = [];
  for (const { name, kind } of baseline.columns) {
    if (leftOut.has(name)) continue;
    const ref = baseline.features.get(name);
    const cur = current.features.get(name);
    if (!ref || !cur) entries.push({ skip: { column: name, reason: !cur ? "not in the current data" : "not in the baseline" } });
    else entries.push({ job: { name, kind, ref, cur, full: baseline.fullCounts?.get(name), present: baseline.present.get(name) } });
  }
  const kind = baseline.task === "classification" ? "category" : "number";
  const prediction = (): ColumnJob | null => {
    const ref = baseline.prediction;
    const cur = current.prediction;
    return ref && cur ? { name: "prediction", kind, ref, cur } : null;
  };
  return { skipped, entries, prediction };
}

/** The report from each entry's result (a column's drift or why it was skipped) and the prediction's, in the plan's order. */
export function driftReportOf(
  baseline: DriftBaseline,
  current: DriftCurrent,
  plan: DriftPlan,
  results: (ColumnDrift | string)[],
  predictionResult: ColumnDrift | string | null,
  options: DriftOptions,
): DriftReport {
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  const columns: ColumnDrift[] = [];
  const skipped = [...plan.skipped];
  plan.entries.forEach((e, i) => {
    const r = results[i];
    if (typeof r === "string") skipped.push({ column: "job" in e ? e.job.name : e.skip.column, reason: r });
    else columns.push(r);
  });
  const drifted = columns.filter((c) => c.drifted).map((c) => c.column);
  const share = columns.length ? drifted.length / columns.length : 0;
  return {
    columns,
    skipped,
    drifted_columns: drifted,
    share_drifted: share,
    drift_share: driftShare,
    dataset_drift: columns.length > 0 && share >= driftShare,
    prediction: predictionResult === null || typeof predictionResult === "string" ? null : predictionResult,
    performance: baseline.performance ? labelledPerformance(baseline.task, baseline.performance.classes, current.labelled, baseline.performance.metrics) : null,
    reference: baseline.describe,
    current: current.describe,
  };
}
