import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { GateStatus } from "../policy/GateReport.js";
import { QualityScores } from "../quality/QualityReport.js";
import { QualityCheckInput, gateArgs } from "../quality/QualityCheckInput.js";

export const GetQualityScoreInput = QualityCheckInput;
export type GetQualityScoreInput = QualityCheckInput;

export const GetQualityScoreOutput = z.object({
  dataset_id: z.string(),
  status: GateStatus.describe("The quality gate's outcome: the worst status of its checks."),
  scores: QualityScores,
  failed: z.array(z.string()).describe("The checks that failed, as check:column."),
  warned: z.array(z.string()).describe("The checks that warned, as check:column."),
  reference_run: z.string().nullable(),
});
export type GetQualityScoreOutput = z.infer<typeof GetQualityScoreOutput>;

/**
 * The quality score of a dataset: 0–100 overall and per dimension (completeness, uniqueness,
 * validity, consistency, timeliness, suitability) with the gate's status, without the per-check
 * report that run_quality_check returns.
 *
 * @example
 * ```ts
 * const q = await dw.getQualityScore({ dataset_id: "seattle-weather" });
 * q.scores.dimensions.completeness.score; // 100
 * ```
 */
export const getQualityScore = defineTool({
  name: "get_quality_score",
  annotations: { effect: "reads", openWorld: true },
  description:
    "A dataset's quality score 0–100, overall and by dimension (completeness, uniqueness, validity, consistency, timeliness, suitability), with the quality gate's status.",
  input: GetQualityScoreInput,
  output: GetQualityScoreOutput,
  magic: { aliases: { data: "dataset_id" } },
  async run(input, ctx) {
    const { runQualityGate } = await import("../quality/runQualityGate.js");
    const report = await runQualityGate(ctx, gateArgs(input));
    const named = (status: string) => report.findings.filter((f) => f.status === status).map((f) => (f.column ? `${f.check}:${f.column}` : f.check));
    return {
      dataset_id: report.dataset_id,
      status: report.status,
      scores: report.scores,
      failed: named("fail"),
      warned: named("warn"),
      reference_run: report.reference_run,
    };
  },
});
