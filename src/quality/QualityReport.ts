import { z } from "zod";
import { GateReport, GateStatus } from "../policy/GateReport.js";
import { QualityThresholds } from "./QualityThresholds.js";

export const QUALITY_DIMENSIONS = ["completeness", "uniqueness", "validity", "consistency", "timeliness", "suitability"] as const;
export type QualityDimension = (typeof QUALITY_DIMENSIONS)[number];

/** Which dimension each check scores in. */
export const CHECK_DIMENSION: Record<string, QualityDimension> = {
  null_rate: "completeness",
  duplicate_rows: "uniqueness",
  type_mismatch: "validity",
  out_of_range: "validity",
  row_count_change: "consistency",
  drift: "consistency",
  freshness: "timeliness",
  constant_column: "suitability",
  id_like_feature: "suitability",
  target_leakage: "suitability",
  class_imbalance: "suitability",
};

export const DimensionScore = z.object({
  score: z
    .number()
    .min(0)
    .max(100)
    .nullable()
    .describe("0–100; null when nothing in this dimension could be judged (e.g. consistency without an earlier training)."),
  status: GateStatus.describe("The worst status of this dimension's checks."),
  checks: z.array(z.string()).describe("The checks that make up this dimension."),
});
export type DimensionScore = z.infer<typeof DimensionScore>;

export const QualityScores = z.object({
  overall: z.number().min(0).max(100).describe("The mean of the dimension scores that are not null, to one decimal."),
  dimensions: z.object({
    completeness: DimensionScore.describe("Share of non-missing cells in the columns checked."),
    uniqueness: DimensionScore.describe("Share of rows that do not repeat an earlier row."),
    validity: DimensionScore.describe("Share of non-missing cells of the right type and inside the training range."),
    consistency: DimensionScore.describe(
      "Share of features whose distribution has not shifted against the last training (PSI below warn), scaled down by a row count change that warns (×0.5) or fails (×0).",
    ),
    timeliness: DimensionScore.describe("100 while the newest timestamp is within the age limit, else limit ÷ age × 100."),
    suitability: DimensionScore.describe(
      "Share of the columns checked with no constant, ID-like or leakage finding, scaled down by class imbalance (warn ×0.75, fail ×0.5).",
    ),
  }),
});
export type QualityScores = z.infer<typeof QualityScores>;

/** What run_quality_check returns and train_model stores as `gates/quality.json`. */
export const QualityReport = GateReport.extend({
  gate: z.literal("quality"),
  dataset_id: z.string(),
  source: z.enum(["dataset", "sql"]).describe("Profiled in memory, or inside the database by aggregate queries."),
  rows: z.number().int(),
  columns_checked: z.array(z.string()).describe("The columns in scope: the features and the target, or every column."),
  target: z.string().optional(),
  scores: QualityScores,
  reference_run: z.string().nullable().describe("The training run whose data snapshot was compared with (null: no earlier training of this dataset)."),
  thresholds: QualityThresholds.describe("The thresholds used: dw.policy.yaml's quality section over the defaults; null = check turned off."),
  timings_ms: z.object({ profile: z.number(), checks: z.number() }),
});
export type QualityReport = z.infer<typeof QualityReport>;
