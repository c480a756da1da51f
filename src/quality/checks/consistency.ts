import type { GateFinding } from "../../policy/GateReport.js";
import { psi } from "../bins.js";
import { gradeHigh, pct, round, type CheckInput } from "./CheckInput.js";

/** row_count_change: the relative change in rows since the last training data. */
export function rowCountChangeCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.row_count_change;
  const ref = input.reference;
  if (!band || !ref) return [];
  const before = ref.snapshot.rows;
  const now = input.profile.rows;
  const change = before === 0 ? (now === 0 ? 0 : Infinity) : Math.abs(now - before) / before;
  const status = gradeHigh(change, band);
  const value = Number.isFinite(change) ? round(change) : "infinite";
  return [
    {
      check: "row_count_change",
      status,
      message: `${now} rows now, ${before} in the last training data (run ${ref.run_id}): ${now >= before ? "+" : "−"}${Number.isFinite(change) ? pct(change) : "∞"}${status === "pass" ? "." : ` (warn at ±${pct(band.warn)}, fail at ±${pct(band.fail)}). A change this large usually means a broken extract or filter; check the source.`}`,
      value,
      threshold: status === "fail" ? band.fail : band.warn,
    },
  ];
}

/**
 * drift: each feature's population stability index against the last training snapshot, over the
 * snapshot's own bins (deciles for numbers, its commonest categories plus "other" for text).
 */
export function driftCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.drift;
  const ref = input.reference;
  if (!band || !ref) return [];
  const found: GateFinding[] = [];
  for (const r of ref.snapshot.columns) {
    if (!input.scope.includes(r.name) || r.type === "date") continue;
    const c = input.column(r.name);
    if (!c?.binCounts) continue;
    const expected = r.type === "number" ? r.bin_counts : r.category_counts;
    if (expected.length !== c.binCounts.length) continue;
    const value = psi(expected, c.binCounts);
    const status = gradeHigh(value, band);
    const shifted =
      status === "pass" ? "" : ` Largest change: ${largestChange(expected, c.binCounts, r.type === "number" ? r.edges.map(String) : r.categories)}.`;
    found.push({
      check: "drift",
      status,
      message: `'${r.name}' ${status === "pass" ? "has not shifted" : status === "warn" ? "has shifted" : "has shifted strongly"} against the training data of run ${ref.run_id}: PSI ${round(value, 3)} (warn at ${band.warn}, fail at ${band.fail}).${shifted}${status === "pass" ? "" : " Check the source; if the change is real, retraining on it is the point, so override with that reason."}`,
      column: r.name,
      value: round(value),
      threshold: status === "fail" ? band.fail : band.warn,
    });
  }
  return found;
}

/** The bin whose share moved most, described for people. */
function largestChange(expected: readonly number[], actual: readonly number[], labels: readonly string[]): string {
  const e = expected.reduce((a, b) => a + b, 0) || 1;
  const a = actual.reduce((x, y) => x + y, 0) || 1;
  let at = 0;
  let most = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] / a - expected[i] / e);
    if (d > most) [most, at] = [d, i];
  }
  const name =
    labels.length + 1 === expected.length && labels.every((l) => l !== "") && expected.length > 1 ? binLabel(labels, at, expected.length) : String(at);
  return `${name}: ${pct(expected[at] / e)} → ${pct(actual[at] / a)}`;
}

function binLabel(labels: readonly string[], i: number, bins: number): string {
  // Numeric edges label ranges; categories label themselves and the last bin is "other".
  const numeric = labels.every((l) => l.trim() !== "" && !Number.isNaN(Number(l)));
  if (!numeric) return i < labels.length ? `'${labels[i]}'` : "other values";
  if (i === 0) return `below ${labels[0]}`;
  if (i === bins - 1) return `${labels[labels.length - 1]} and above`;
  return `${labels[i - 1]} to ${labels[i]}`;
}
