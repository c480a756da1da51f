import { DwError, isDwError } from "../errors/DwError.js";
import { columnDrift } from "./drift/columnDrift.js";
import type { DriftColumnData, DriftMethod } from "./drift/DriftMethod.js";
import type { ColumnDrift, DriftReport } from "./DriftReport.js";
import type { DriftBaseline, DriftCurrent, DriftValues, FullCounts } from "./DriftSide.js";
import { describeCounts, describeValues, driftData, fullCountsData, lumpOther } from "./driftData.js";
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
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  const columns: ColumnDrift[] = [];
  const skipped = [...baseline.skipped, ...(current.skipped ?? [])];
  const leftOut = new Set(skipped.map((s) => s.column));
  for (const { name, kind } of baseline.columns) {
    if (leftOut.has(name)) continue;
    const ref = baseline.features.get(name);
    const cur = current.features.get(name);
    if (!ref || !cur) {
      skipped.push({ column: name, reason: !cur ? "not in the current data" : "not in the baseline" });
      continue;
    }
    const result = compare(name, kind, ref, cur, baseline.fullCounts?.get(name), baseline.present.get(name), options);
    if (typeof result === "string") skipped.push({ column: name, reason: result });
    else columns.push(result);
  }
  const drifted = columns.filter((c) => c.drifted).map((c) => c.column);
  const share = columns.length ? drifted.length / columns.length : 0;
  const kind = baseline.task === "classification" ? "category" : "number";
  let prediction: ColumnDrift | null = null;
  if (baseline.prediction && current.prediction) {
    const result = compare("prediction", kind, baseline.prediction, current.prediction, undefined, undefined, options);
    prediction = typeof result === "string" ? null : result;
  }
  return {
    columns,
    skipped,
    drifted_columns: drifted,
    share_drifted: share,
    drift_share: driftShare,
    dataset_drift: columns.length > 0 && share >= driftShare,
    prediction,
    performance: baseline.performance ? labelledPerformance(baseline.task, baseline.performance.classes, current.labelled, baseline.performance.metrics) : null,
    reference: baseline.describe,
    current: current.describe,
  };
}

/** One column's test, or why it cannot be tested. */
function compare(
  name: string,
  kind: "number" | "category",
  ref: DriftValues,
  cur: DriftValues,
  full: FullCounts | undefined,
  present: number | undefined,
  options: DriftOptions,
): ColumnDrift | string {
  const method = options.method;
  let refData: DriftColumnData = full && kind === "category" ? fullCountsData(full) : driftData(ref);
  let curData: DriftColumnData = driftData(cur);
  if (full && kind === "category") curData = lumpOther(curData, full);
  if (refData.kind !== kind) refData = asKind(refData, kind);
  if (curData.kind !== kind) curData = asKind(curData, kind);
  if (size(refData) === 0) return "no values in the baseline";
  if (size(curData) === 0) return "no values in the current data";
  const referenceRows = present ?? size(refData);
  let r: ReturnType<typeof columnDrift>;
  try {
    r = columnDrift(refData, curData, { method, threshold: options.threshold, referenceRows });
  } catch (e) {
    // The statistics name no column: say which one, and that the method was the caller's choice.
    if (!isDwError(e) || e.code !== "INVALID_INPUT") throw e;
    throw new DwError("INVALID_INPUT", `Column '${name}' (${kind === "number" ? "numeric" : "categorical"}): ${e.message.replace(/^drift: /, "")}.`, {
      hint: `${e.hint ?? ""} Leave method out and each column gets Evidently's default for its type.`.trim(),
      details: { field: "method", column: name, ...(method ? { method } : {}) },
    });
  }
  return {
    column: name,
    type: kind,
    method: r.method,
    statistic: r.statistic,
    p_value: r.p_value,
    threshold: r.threshold,
    drifted: r.drifted,
    reference: full && kind === "category" && refData.kind === "category" ? describeCounts(refData.counts, referenceRows + full.nulls) : describeValues(ref),
    current: describeValues(cur),
  };
}

function size(d: DriftColumnData): number {
  if (d.kind === "number") return d.values.length;
  let n = 0;
  for (const c of d.counts.values()) n += c;
  return n;
}

/** Numbers counted as categories (their text), for a side whose values came as numbers where the other's are categories. */
function asKind(d: DriftColumnData, kind: "number" | "category"): DriftColumnData {
  if (kind === "category" && d.kind === "number") {
    const counts = new Map<string, number>();
    for (const v of d.values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    return { kind: "category", counts };
  }
  return d;
}
