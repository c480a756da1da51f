import type { GateFinding } from "../../policy/GateReport.js";
import { gradeHigh, pct, round, type CheckInput } from "./CheckInput.js";

/** duplicate_rows: rows identical in every column to an earlier row. */
export function duplicateRowsCheck(input: CheckInput): GateFinding[] {
  const band = input.thresholds.duplicate_rows;
  const { rows, duplicateRows, duplicateExamples } = input.profile;
  if (!band || rows === 0) return [];
  const share = duplicateRows / rows;
  const status = gradeHigh(share, band);
  const finding: GateFinding = {
    check: "duplicate_rows",
    status,
    message:
      duplicateRows === 0
        ? `No row repeats an earlier one (${rows} rows).`
        : `${duplicateRows} rows (${pct(share)}) repeat an earlier row in every column${input.profile.duplicateRowsBy === "row_hash" ? " (counted by a 64-bit hash of each row)" : ""}${status === "pass" ? "" : ` (warn at ${pct(band.warn)}, fail at ${pct(band.fail)}); duplicates inflate evaluation scores when copies land in both the training and the test rows. Drop them or add the column that tells them apart`}.`,
    value: round(share),
    threshold: status === "fail" ? band.fail : band.warn,
  };
  if (duplicateExamples?.length) finding.rows = duplicateExamples.slice(0, 10);
  return [finding];
}
