import { defineTool } from "./defineTool.js";
import { QualityReport } from "../quality/QualityReport.js";
import { QualityCheckInput, gateArgs } from "../quality/QualityCheckInput.js";

export const RunQualityCheckInput = QualityCheckInput;
export type RunQualityCheckInput = QualityCheckInput;
export const RunQualityCheckOutput = QualityReport;
export type RunQualityCheckOutput = QualityReport;

/**
 * Checks a dataset (or a SQL table, inside its database) the way train_model does before it fits:
 * null rates, duplicate rows, constant and ID-like columns, type mismatches, range, row count and
 * distribution shift against the last training snapshot of the same dataset, freshness, target
 * leakage and class imbalance. Each check says pass, warn or fail with its numbers and the columns
 * or rows at fault; thresholds come from dw.policy.yaml's `quality:` section. A failing check is
 * part of the report (status "fail"), not an error.
 *
 * @example
 * ```ts
 * const report = await dw.runQualityCheck({ dataset_id: "seattle-weather", target: "weather" });
 * report.status; // "pass"
 * report.scores.overall; // 100
 * ```
 */
export const runQualityCheck = defineTool({
  name: "run_quality_check",
  annotations: { effect: "reads", long: true, openWorld: true },
  description:
    "Check a dataset's quality before training: nulls, duplicates, constant and ID-like columns, types, range, row count and drift against the last training, freshness, target leakage, class imbalance. Pass/warn/fail per check, scores 0–100 by dimension.",
  input: RunQualityCheckInput,
  output: RunQualityCheckOutput,
  magic: { aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const { runQualityGate } = await import("../quality/runQualityGate.js");
    return runQualityGate(ctx, gateArgs(input));
  },
});
