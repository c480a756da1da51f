import { z } from "zod";
import { PII_ENTITIES } from "../pii/PiiFinding.js";
import { ALIAS_NAME } from "../../workspace/refNames.js";

/** Metrics where lower is better: a bare number in min_metrics is their maximum, not their minimum. */
export const LOWER_IS_BETTER = ["rmse", "mae", "mse", "mape", "log_loss"] as const;

const Bound = z.union([
  z.number().describe("A bare number: at least this (at most, for rmse, mae, mse, mape, log_loss)."),
  z.strictObject({ min: z.number().optional(), max: z.number().optional() }).refine((b) => b.min !== undefined || b.max !== undefined, "give min, max or both"),
]);
const MetricBounds = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "metric names are lower_snake_case, e.g. accuracy, r2, rmse"), Bound);

/** The `governance:` section of dw.policy.yaml. Every field has a default, so an absent file is a valid policy. */
export const GovernancePolicy = z.strictObject({
  training: z
    .strictObject({
      forbidden_pii_features: z
        .array(z.enum(PII_ENTITIES))
        .default([...PII_ENTITIES])
        .describe("PII entities (as scan_pii names them) that may not be used as features."),
      min_confidence: z.number().min(0).max(1).default(0.5).describe("A PII finding counts when the scanner is at least this sure."),
    })
    .default({ forbidden_pii_features: [...PII_ENTITIES], min_confidence: 0.5 }),
  deployment: z
    .strictObject({
      approval_required_aliases: z
        .array(z.string().regex(ALIAS_NAME, "an alias starts with a letter, e.g. production"))
        .default([])
        .describe("Aliases a version may only move to after request_governance_review approved it."),
      min_metrics: z
        .strictObject({ classification: MetricBounds.default({}), regression: MetricBounds.default({}) })
        .default({ classification: {}, regression: {} })
        .describe("Per task, the metrics a version's run must reach to be deployed."),
      required_model_card_fields: z
        .array(z.string().min(1))
        .default([])
        .describe("Model-card fields that must be present and non-empty (description, or any registration model_card field)."),
    })
    .default({ approval_required_aliases: [], min_metrics: { classification: {}, regression: {} }, required_model_card_fields: [] }),
});
export type GovernancePolicy = z.output<typeof GovernancePolicy>;

/** What each part of the section accepts, for the CONFIG_ERROR hint. */
export function governanceAllowed(path: string): string {
  if (path.includes("forbidden_pii_features")) return `Allowed entities: ${PII_ENTITIES.join(", ")}.`;
  if (path.includes("min_metrics")) return "min_metrics has classification: and regression:, each mapping a metric to a number or {min: x, max: y}.";
  if (path.endsWith("min_confidence")) return "A number from 0 to 1.";
  if (path.endsWith("approval_required_aliases")) return "A list of alias names, e.g. [production].";
  if (path.endsWith("required_model_card_fields")) return "A list of field names, e.g. [description, intended_use].";
  if (path === "governance.training") return "training: takes forbidden_pii_features and min_confidence.";
  if (path === "governance.deployment") return "deployment: takes approval_required_aliases, min_metrics and required_model_card_fields.";
  return "governance: takes training: and deployment:.";
}

/** The bound a policy entry sets, with the direction made explicit. */
export function metricBound(metric: string, bound: z.output<typeof Bound>): { min?: number; max?: number } {
  if (typeof bound === "number") return (LOWER_IS_BETTER as readonly string[]).includes(metric) ? { max: bound } : { min: bound };
  return bound;
}
