import { z } from "zod";

// Its own file (zod only) so QualityReport, and the quality tools' schemas with it, do not load the
// policy reader (and yaml) that qualityPolicy.ts uses to fill it.

/** The thresholds in force: the policy's values over the defaults; `null` = the check is off. */
export const QualityThresholds = z.object({
  null_rate: z.object({ warn: z.number(), fail: z.number() }).nullable(),
  duplicate_rows: z.object({ warn: z.number(), fail: z.number() }).nullable(),
  constant_column: z.object({ status: z.enum(["warn", "fail"]) }).nullable(),
  id_like_feature: z.object({ status: z.enum(["warn", "fail"]) }).nullable(),
  type_mismatch: z.object({ warn: z.number(), fail: z.number() }).nullable(),
  out_of_range: z.object({ warn: z.number(), fail: z.number() }).nullable(),
  row_count_change: z.object({ warn: z.number(), fail: z.number() }).nullable(),
  freshness: z.object({ column: z.string().optional(), warn_after_days: z.number().optional(), fail_after_days: z.number().optional() }).nullable(),
  target_leakage: z.object({ warn: z.number(), fail: z.number() }).nullable(),
  class_imbalance: z.object({ warn: z.number(), fail: z.number() }).nullable(),
  drift: z.object({ warn: z.number(), fail: z.number() }).nullable(),
});
export type QualityThresholds = z.infer<typeof QualityThresholds>;
