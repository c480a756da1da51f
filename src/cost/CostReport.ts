import { z } from "zod";
import { GateReport } from "../policy/GateReport.js";

// The cost gate's report on its own (zod and GateReport only), so estimate_cost's schema does not
// load the gate itself: the estimators, the policy reader (yaml) and the calibration.

export const CostEstimate = z.object({
  algorithm: z.string(),
  estimator: z.string().describe("The trainer that would run (xgboost and lightgbm train dw's gradient boosting)."),
  task: z.enum(["regression", "classification"]),
  rows: z.number().int(),
  features: z.number().int().describe("Columns after encoding."),
  train_seconds: z.number().describe("Predicted fit time on one core of this machine, idle (CPU seconds)."),
  peak_memory_gb: z.number().describe("Predicted peak resident memory of the process while it trains."),
  memory_breakdown_gb: z.object({ process: z.number(), data: z.number(), feature_matrix: z.number(), fit: z.number() }),
  cost_usd: z.number().optional().describe("train_seconds / 3600 × price_per_hour_usd, when the policy sets a price."),
  price_per_hour_usd: z.number().optional(),
  notes: z.array(z.string()),
  calibration: z.object({
    calibrated_at: z.string(),
    fresh: z.boolean().describe("True when this call measured the machine (the stored calibration was missing or for another machine or dw version)."),
    took_s: z.number(),
    cpu_model: z.string(),
    cpus: z.number().int(),
    file: z.string(),
  }),
});
export type CostEstimate = z.infer<typeof CostEstimate>;

export const CostReport = GateReport.extend({ gate: z.literal("cost"), estimate: CostEstimate, policy_file: z.string().nullable() });
export type CostReport = z.infer<typeof CostReport>;
