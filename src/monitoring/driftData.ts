import type { DriftColumnData } from "./drift/DriftMethod.js";
import type { ColumnDescription } from "./DriftReport.js";
import type { DriftValues, FullCounts } from "./DriftSide.js";

/** The key the categories a reference did not keep are counted under, on both sides. */
export const OTHER_CATEGORY = "\u0000other";

/** A column's present values as the drift statistics take them (numbers: finite ones; categories: counts). */
export function driftData(v: DriftValues): DriftColumnData {
  if (v.kind === "number") {
    let n = 0;
    for (let i = 0; i < v.values.length; i++) if (Number.isFinite(v.values[i])) n++;
    if (n === v.values.length) return { kind: "number", values: v.values };
    const out = new Float64Array(n);
    for (let i = 0, k = 0; i < v.values.length; i++) if (Number.isFinite(v.values[i])) out[k++] = v.values[i];
    return { kind: "number", values: out };
  }
  const counts = new Map<string, number>();
  for (const x of v.values) if (x !== null) counts.set(x, (counts.get(x) ?? 0) + 1);
  return { kind: "category", counts };
}

/** A reference's full category counts, with the categories it did not keep as one. */
export function fullCountsData(f: FullCounts): DriftColumnData {
  const counts = new Map<string, number>();
  for (const [i, c] of f.categories.entries()) counts.set(c, f.counts[i]);
  if (f.other > 0) counts.set(OTHER_CATEGORY, f.other);
  return { kind: "category", counts };
}

/** Current categories the reference lumped into "other" counted the same way, so both sides bin alike. */
export function lumpOther(current: DriftColumnData, f: FullCounts): DriftColumnData {
  if (current.kind !== "category" || f.other === 0) return current;
  const kept = new Set(f.categories);
  const counts = new Map<string, number>();
  for (const [c, n] of current.counts) {
    const key = kept.has(c) ? c : OTHER_CATEGORY;
    counts.set(key, (counts.get(key) ?? 0) + n);
  }
  return { kind: "category", counts };
}

/** Count, nulls and either mean, std, min and max, or the five commonest categories with their shares. */
export function describeValues(v: DriftValues): ColumnDescription {
  if (v.kind === "number") {
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < v.values.length; i++) {
      const x = v.values[i];
      if (!Number.isFinite(x)) continue;
      n++;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = n ? sum / n : null;
    let ss = 0;
    if (mean !== null) for (let i = 0; i < v.values.length; i++) if (Number.isFinite(v.values[i])) ss += (v.values[i] - mean) ** 2;
    return { count: n, nulls: v.values.length - n, mean, std: n ? Math.sqrt(ss / n) : null, min: n ? min : null, max: n ? max : null };
  }
  const d = driftData(v);
  return describeCounts(d.kind === "category" ? d.counts : new Map(), v.values.length);
}

/** The description of categories from their counts (`total` includes nulls). */
export function describeCounts(counts: Map<string, number>, total: number): ColumnDescription {
  let n = 0;
  for (const c of counts.values()) n += c;
  const top = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 5)
    .map(([value, c]) => ({ value: value === OTHER_CATEGORY ? "(other)" : value, share: n ? c / n : 0 }));
  return { count: n, nulls: total - n, top };
}
