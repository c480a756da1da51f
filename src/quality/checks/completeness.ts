import type { GateFinding } from "../../policy/GateReport.js";
import { gradeHigh, pct, round, type CheckInput } from "./CheckInput.js";

/** null_rate: each column in scope, its share of missing values. */
export function nullRateCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.null_rate;
  if (!band || input.profile.rows === 0) return [];
  return input.scope.flatMap((name) => {
    const c = input.column(name);
    if (!c) return [];
    const rate = c.nulls / input.profile.rows;
    const status = name === input.target && c.nulls > 0 && rate >= band.warn ? "fail" : gradeHigh(rate, band);
    const what = name === input.target ? "target" : "column";
    const message =
      status === "pass"
        ? `The ${what} '${name}' is ${pct(rate)} missing (${c.nulls} of ${input.profile.rows} rows).`
        : `The ${what} '${name}' is ${pct(rate)} missing (${c.nulls} of ${input.profile.rows} rows; warn at ${pct(band.warn)}, fail at ${pct(band.fail)}). Fill or drop the missing values, or leave the column out.`;
    return [{ check: "null_rate", status, message, column: name, value: round(rate), threshold: status === "fail" ? band.fail : band.warn }];
  });
}
