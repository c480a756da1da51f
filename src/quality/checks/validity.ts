import type { GateFinding } from "../../policy/GateReport.js";
import { gradeHigh, pct, round, type CheckInput } from "./CheckInput.js";

/**
 * type_mismatch: a text column whose values are mostly numbers (a numeric column broken by a few
 * bad values, which training would treat as categories), and a column whose type is not the type
 * it had in the last training data.
 */
export function typeMismatchCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.type_mismatch;
  if (!band) return [];
  const refTypes = new Map((input.reference?.snapshot.columns ?? []).map((c) => [c.name, c.type]));
  const found: GateFinding[] = [];
  for (const name of input.scope) {
    const c = input.column(name);
    if (!c) continue;
    const was = refTypes.get(name);
    if (was && c.count > 0 && was !== c.type) {
      found.push({
        check: "type_mismatch",
        status: "fail",
        message: `Column '${name}' is ${c.type} but was ${was} in the last training data (run ${input.reference!.run_id})${c.nonNumericExample !== undefined && was === "number" ? `, e.g. the value '${c.nonNumericExample}'` : ""}. A model trained on the other type cannot read it; fix the values or the source.`,
        column: name,
        value: c.type,
        threshold: was,
      });
      continue;
    }
    if (c.type !== "string" || c.numericShare === undefined || c.count === 0) continue;
    const status = gradeHigh(c.numericShare, band);
    if (status === "pass") continue;
    const bad = Math.round(c.count * (1 - c.numericShare));
    found.push({
      check: "type_mismatch",
      status,
      message: `Column '${name}' is text, but ${pct(c.numericShare)} of its values are numbers${c.nonNumericExample !== undefined ? `; about ${bad} are not, e.g. '${c.nonNumericExample}'` : ""} (warn at ${pct(band.warn)}, fail at ${pct(band.fail)} numeric). Fix or blank the non-numeric values so it loads as a number column.`,
      column: name,
      value: round(c.numericShare),
      threshold: status === "fail" ? band.fail : band.warn,
    });
  }
  if (found.length === 0)
    found.push({
      check: "type_mismatch",
      status: "pass",
      message: `Every column checked has one consistent type${refTypes.size ? ", the same as in the last training data" : ""}.`,
    });
  return found;
}

/** out_of_range: each numeric column's share of values outside the range seen in the last training data. */
export function outOfRangeCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.out_of_range;
  const ref = input.reference;
  if (!band || !ref) return [];
  const found: GateFinding[] = [];
  for (const r of ref.snapshot.columns) {
    if (r.type !== "number" || !input.scope.includes(r.name)) continue;
    const c = input.column(r.name);
    if (c?.type !== "number" || c.belowRange === undefined || c.aboveRange === undefined || c.count === 0) continue;
    const out = c.belowRange + c.aboveRange;
    const share = out / c.count;
    const status = gradeHigh(share, band);
    const range = `[${r.min}, ${r.max}]`;
    found.push({
      check: "out_of_range",
      status,
      message:
        out === 0
          ? `Every value of '${r.name}' is within the training range ${range}.`
          : `${out} values of '${r.name}' (${pct(share)}) are outside the training range ${range} of run ${ref.run_id}: ${c.belowRange} below, ${c.aboveRange} above (now ${c.min} to ${c.max})${status === "pass" ? "." : `; warn at ${pct(band.warn)}, fail at ${pct(band.fail)}. Models extrapolate poorly: check the units and the source, or retrain knowingly.`}`,
      column: r.name,
      value: round(share),
      threshold: status === "fail" ? band.fail : band.warn,
    });
  }
  return found;
}
