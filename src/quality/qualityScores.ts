import { worstStatus, type GateFinding } from "../policy/GateReport.js";
import { mean } from "../data/statistics.js";
import type { CheckInput } from "./checks/CheckInput.js";
import type { ColumnProfile } from "./TableProfile.js";
import { CHECK_DIMENSION, QUALITY_DIMENSIONS, type DimensionScore, type QualityDimension, type QualityScores } from "./QualityReport.js";

const FACTOR = { pass: 1, warn: 0.5, fail: 0 } as const;

/**
 * Scores 0–100 per dimension from the profile's numbers and the findings (formulas in
 * docs/quality.md and on QualityScores); a dimension none of whose checks ran scores null and
 * does not count in the overall mean.
 */
export function qualityScores(input: CheckInput, findings: readonly GateFinding[]): QualityScores {
  const by = (d: QualityDimension) => findings.filter((f) => CHECK_DIMENSION[f.check] === d);
  const { profile, scope } = input;
  const cols = scope.map((n) => input.column(n)).filter((c): c is ColumnProfile => c !== undefined);
  const raw: Record<QualityDimension, number | null> = {
    completeness: null,
    uniqueness: null,
    validity: null,
    consistency: null,
    timeliness: null,
    suitability: null,
  };
  if (profile.rows > 0) {
    if (by("completeness").length) {
      const cells = profile.rows * cols.length;
      raw.completeness = cells ? 100 * (1 - cols.reduce((s, c) => s + c.nulls, 0) / cells) : null;
    }
    if (by("uniqueness").length) raw.uniqueness = 100 * (1 - profile.duplicateRows / profile.rows);
    const validity = by("validity");
    if (validity.length) {
      const cells = cols.reduce((s, c) => s + c.count, 0);
      let invalid = 0;
      for (const f of validity) {
        if (f.status === "pass" || !f.column) continue;
        const c = input.column(f.column);
        if (!c) continue;
        if (f.check === "out_of_range") invalid += (c.belowRange ?? 0) + (c.aboveRange ?? 0);
        else if (typeof f.threshold === "string")
          invalid += c.count; // the type changed since training
        else invalid += c.count * (1 - (c.numericShare ?? 0));
      }
      raw.validity = cells ? 100 * Math.max(0, 1 - invalid / cells) : null;
    }
    const drift = by("consistency").filter((f) => f.check === "drift");
    const rowCount = by("consistency").find((f) => f.check === "row_count_change");
    if (drift.length || rowCount) {
      const stable = drift.length ? drift.filter((f) => f.status === "pass").length / drift.length : 1;
      raw.consistency = 100 * stable * (rowCount ? FACTOR[rowCount.status] : 1);
    }
    const fresh = by("timeliness")[0];
    const limit = input.thresholds.freshness?.warn_after_days ?? input.thresholds.freshness?.fail_after_days;
    if (fresh && limit !== undefined && typeof fresh.value === "number") raw.timeliness = fresh.value <= limit ? 100 : (100 * limit) / fresh.value;
    const suit = by("suitability");
    if (suit.length) {
      const flagged = new Set(suit.filter((f) => f.status !== "pass" && f.column && f.check !== "class_imbalance").map((f) => f.column));
      const imbalance = suit.find((f) => f.check === "class_imbalance");
      const factor = imbalance ? { pass: 1, warn: 0.75, fail: 0.5 }[imbalance.status] : 1;
      raw.suitability = scope.length ? 100 * (1 - flagged.size / scope.length) * factor : null;
    }
  }
  const dimensions = {} as Record<QualityDimension, DimensionScore>;
  for (const d of QUALITY_DIMENSIONS) {
    const fs = by(d);
    const score = raw[d];
    dimensions[d] = {
      score: score === null ? null : Number(score.toFixed(1)),
      status: worstStatus(fs.map((f) => f.status)),
      checks: [...new Set(fs.map((f) => f.check))],
    };
  }
  const present = QUALITY_DIMENSIONS.map((d) => dimensions[d].score).filter((s): s is number => s !== null);
  const overall = present.length ? Number(mean(present).toFixed(1)) : 0;
  return { overall, dimensions };
}
