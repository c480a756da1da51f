import { DwError, isDwError } from "../errors/DwError.js";
import { columnDrift } from "./drift/columnDrift.js";
import type { DriftColumnData, DriftMethod } from "./drift/DriftMethod.js";
import type { ColumnDrift } from "./DriftReport.js";
import type { DriftValues, FullCounts } from "./DriftSide.js";
import { describeCounts, describeValues, driftData, fullCountsData, lumpOther } from "./driftData.js";

/** One column of a drift check: both sides' values and what the method choice reads of the baseline. */
export interface ColumnJob {
  name: string;
  kind: "number" | "category";
  ref: DriftValues;
  cur: DriftValues;
  /** The stored reference's category counts over all its rows (preferred to the sample's values). */
  full?: FullCounts;
  /** Values present in the baseline over every row it stands for. */
  present?: number;
}

/** How a column is judged: the method (none: Evidently's choice for the column) and its threshold. */
export interface ColumnJudging {
  method?: DriftMethod;
  threshold?: number;
}

/**
 * One column's test, or why it cannot be tested (a side without values). A method that cannot
 * judge the column's type is INVALID_INPUT naming the column. A pure function of its input, so it
 * gives the same result to the last bit on whichever thread runs it (checkDriftInParallel).
 *
 * @example compareColumn({ name: "c00", kind: "number", ref, cur }, {}) // { column: "c00", method: "wasserstein", ... }
 */
export function compareColumn(job: ColumnJob, judging: ColumnJudging): ColumnDrift | string {
  const { name, kind, ref, cur, full, present } = job;
  const method = judging.method;
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
    r = columnDrift(refData, curData, { method, threshold: judging.threshold, referenceRows });
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
