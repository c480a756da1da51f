import { z } from "zod";
import { AbMetric } from "./AbTest.js";

/** A running A/B test behind a deployed alias, as get_ml_status and the sidebar show it (ab_test_models' status gives the results). */
export const AbTestSummary = z.object({
  splitting: z
    .boolean()
    .describe("Whether dw serve splits the alias's traffic between the arms now: false once a deploy_model moved the alias since the test started."),
  arms: z.array(z.object({ version: z.number().int(), weight: z.number(), share: z.number().describe("Share of traffic: weight ÷ the sum of weights.") })),
  metric: AbMetric,
  min_sample_size: z.number().int(),
  started_at: z.string(),
  started_by: z.string(),
  ref: z.string().describe("Each start, change and end of the test is a commit here: git log <ref>."),
});
export type AbTestSummary = z.infer<typeof AbTestSummary>;
