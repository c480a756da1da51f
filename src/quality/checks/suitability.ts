import type { GateFinding, GateStatus } from "../../policy/GateReport.js";
import type { ColumnProfile } from "../TableProfile.js";
import { gradeHigh, gradeLow, pct, round, type CheckInput } from "./CheckInput.js";

/** Columns named like identifiers: customer_id, id, userId, order-uuid, GUID. */
const ID_NAME = /(^|[^a-z])(id|ids|uuid|guid)$|[a-z0-9](Id|ID|Uuid|UUID|Guid|GUID)$/i;
/** The all-distinct rules need this many values, so a 5-row sample is not called an ID. */
export const MIN_ID_ROWS = 20;

/** constant_column: a column in scope with a single value teaches the model nothing; a constant target cannot be learned. */
export function constantColumnCheck(input: CheckInput): GateFinding[] {
  const t = input.thresholds.constant_column;
  if (!t) return [];
  const found: GateFinding[] = [];
  for (const name of input.scope) {
    const c = input.column(name);
    if (!c || c.count === 0 || c.distinct !== 1) continue;
    const isTarget = name === input.target;
    const value = c.top?.[0]?.value ?? (c.min !== undefined ? String(c.min) : "");
    found.push({
      check: "constant_column",
      status: isTarget ? "fail" : t.status,
      message: isTarget
        ? `The target '${name}' has one value ('${value}') in every row: there is nothing to learn. Check the data's filter or choose another target.`
        : `Column '${name}' has one value ('${value}') in all ${c.count} non-missing rows; as a feature it adds nothing. Leave it out of the features.`,
      column: name,
      value: 1,
      threshold: 1,
    });
  }
  if (found.length === 0)
    found.push({ check: "constant_column", status: "pass", message: `No constant column among the ${input.scope.length} columns checked.` });
  return found;
}

/** Why a column looks like a row identifier, or null. */
export function idLikeReason(c: ColumnProfile): string | null {
  if (c.count === 0 || c.type === "date" || c.type === "boolean") return null;
  const share = c.distinct / c.count;
  if (ID_NAME.test(c.name) && share >= 0.9 && c.count >= 2)
    return `it is named like an identifier and ${c.distinctApproximate ? "about " : ""}${pct(share)} of its values are distinct`;
  // A count estimated (a SQL table's profile past APPROXIMATE_FROM_ROWS, by HyperLogLog) may miss
  // the exact count either way by a few percent: "all distinct" is then "at least 90% distinct".
  const allDistinct = c.distinctApproximate ? c.distinct >= 0.9 * c.count : c.distinct === c.count;
  if (c.count < MIN_ID_ROWS || !allDistinct) return null;
  const estimated = c.distinctApproximate ? " (by an estimated distinct count)" : "";
  if (c.type === "number" && c.integers && c.monotonic)
    return `its values are whole numbers, all distinct, that ${c.monotonic === "increasing" ? "increase" : "decrease"} down the rows (a row number)${estimated}`;
  // Surrogate keys are dense: n distinct whole numbers spread over little more than n values.
  if (c.type === "number" && c.integers && typeof c.min === "number" && typeof c.max === "number" && c.max - c.min + 1 <= 1.5 * c.count) {
    return `its values are ${c.count} distinct whole numbers from ${c.min} to ${c.max}, nearly every number in between (a key or row number)${estimated}`;
  }
  if (c.type === "string") return `every one of its values is distinct${estimated}`;
  return null;
}

/** id_like_feature: an identifier used as a feature lets a model memorise rows instead of learning. */
export function idLikeFeatureCheck(input: CheckInput): GateFinding[] {
  const t = input.thresholds.id_like_feature;
  if (!t) return [];
  const status: GateStatus = input.featuresNamed ? t.status : "warn";
  const found: GateFinding[] = [];
  for (const name of input.features) {
    const c = input.column(name);
    const reason = c && idLikeReason(c);
    if (!c || !reason) continue;
    found.push({
      check: "id_like_feature",
      status,
      message: `Feature '${name}' looks like an ID: ${reason}. A model can memorise rows by it and will not generalise; leave it out of the features.`,
      column: name,
      value: round(c.distinct / c.count),
    });
  }
  if (found.length === 0) found.push({ check: "id_like_feature", status: "pass", message: `No ID-like column among the ${input.features.length} features.` });
  return found;
}

/** target_leakage: a feature that (almost) determines the target is usually the target in disguise. */
export function targetLeakageCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.target_leakage;
  const stats = input.profile.leakage;
  if (!band || !input.target || !stats) return [];
  const features = new Set(input.features);
  const found: GateFinding[] = [];
  let strongest: { feature: string; value: number } | undefined;
  for (const s of stats) {
    if (!features.has(s.feature)) continue;
    const f = input.column(s.feature);
    // Grouping by a feature that is nearly unique explains any target perfectly: that is the
    // ID-like check's finding, not leakage.
    if (s.measure !== "abs_correlation" && f && f.type !== "number" && f.count > 0 && f.distinct > 0.5 * f.count) continue;
    const base = s.baseline ?? 0;
    const value = s.measure === "purity" ? (base >= 1 ? 0 : Math.max(0, (s.value - base) / (1 - base))) : s.value;
    if (!strongest || value > strongest.value) strongest = { feature: s.feature, value };
    const status = gradeHigh(value, band);
    if (status === "pass") continue;
    const how =
      s.measure === "abs_correlation"
        ? `|correlation| with the target is ${round(s.value, 3)}`
        : s.measure === "correlation_ratio"
          ? `it explains ${pct(s.value)} of the target's variance (η² ${round(s.value, 3)})`
          : `knowing it gives the right class for ${pct(s.value)} of rows against ${pct(base)} by always guessing the commonest (lift ${round(value, 3)})`;
    found.push({
      check: "target_leakage",
      status,
      message: `Feature '${s.feature}' nearly determines the target '${input.target}': ${how} (warn at ${band.warn}, fail at ${band.fail}). Is it computed from the target or only known after it? Leave it out unless it is truly available at prediction time.`,
      column: s.feature,
      value: round(value),
      threshold: status === "fail" ? band.fail : band.warn,
    });
  }
  if (found.length === 0) {
    found.push({
      check: "target_leakage",
      status: "pass",
      message: strongest
        ? `No feature determines the target '${input.target}'; the strongest association is '${strongest.feature}' (${round(strongest.value, 3)}).`
        : `No feature to compare with the target '${input.target}'.`,
      ...(strongest ? { column: strongest.feature, value: round(strongest.value), threshold: band.warn } : {}),
    });
  }
  return found;
}

/**
 * class_imbalance: the rarest class's share of the target's values; not for a target training
 * learns as a regression (a 1-5 rating with few 1s is not an imbalanced classification).
 */
export function classImbalanceCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.class_imbalance;
  const classes = input.profile.classCounts;
  if (!band || !input.target || !classes || classes.length === 0 || input.task === "regression") return [];
  const total = classes.reduce((s, c) => s + c.count, 0);
  const rarest = classes.reduce((a, b) => (b.count < a.count ? b : a));
  const share = classes.length === 1 ? 0 : rarest.count / total;
  const status = gradeLow(share, band);
  const commonest = classes[0];
  return [
    {
      check: "class_imbalance",
      status,
      message:
        classes.length === 1
          ? `The target '${input.target}' has a single class ('${commonest.value}'): a classifier needs at least two.`
          : `The rarest class of '${input.target}' is '${rarest.value}' with ${rarest.count} of ${total} rows (${pct(share)}; the commonest, '${commonest.value}', has ${pct(commonest.count / total)})${status === "pass" ? "." : ` (warn below ${pct(band.warn)}, fail below ${pct(band.fail)}). Collect more rows of it, merge rare classes, or weigh classes when training.`}`,
      column: input.target,
      value: round(share),
      threshold: status === "fail" ? band.fail : band.warn,
    },
  ];
}
