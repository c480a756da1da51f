import { z } from "zod";

/** The ref an A/B test behind one alias lives on: one commit per start, change of weights, stop and promote. */
export const abTestRef = (name: string, alias: string) => `refs/dw/abtests/${name}/${alias}`;

/** What an arm's success is measured by, from the feedback labels: higher is better for accuracy, lower for the others. */
export const AbMetric = z.enum(["accuracy", "error_rate", "rmse", "mae"]);
export type AbMetric = z.infer<typeof AbMetric>;

/** Whether a larger value of the metric is better. */
export const higherIsBetter = (m: AbMetric): boolean => m === "accuracy";

/** The metric an A/B test compares when none is named: accuracy for a classifier, rmse for a regressor. */
export const defaultAbMetric = (task: "classification" | "regression"): AbMetric => (task === "classification" ? "accuracy" : "rmse");

/** The metrics that fit a task. */
export const metricsFor = (task: "classification" | "regression"): readonly AbMetric[] =>
  task === "classification" ? ["accuracy", "error_rate"] : ["rmse", "mae"];

/** The significance level a winner is declared at (over all pairs of arms, Bonferroni). */
export const AB_ALPHA = 0.05;

/** One arm: a registered version of the model, and its weight (its share of traffic is weight ÷ the sum). */
export const AbArm = z.object({
  version: z.number().int().min(1),
  weight: z.number().positive(),
  /** The deploy gate as it ran for this version and alias when the arm was set; the reports are gates/v<version>/ in the commit. */
  gate: z.object({
    status: z.enum(["pass", "warn", "fail"]),
    decision: z.enum(["allow", "deny", "review"]),
    overridden: z.boolean(),
  }),
});
export type AbArm = z.infer<typeof AbArm>;

/**
 * `abtest.json`, the state of an A/B test as of one commit on refs/dw/abtests/<name>/<alias>. A test
 * runs on one deployment: `deployment` is the deployment commit of the alias when it started, and
 * the server splits the alias's traffic between the arms only while the alias's last deployment is
 * still that commit (a deploy_model meanwhile, or a promote, ends the split).
 */
export const AbTest = z.looseObject({
  model_name: z.string(),
  alias: z.string(),
  status: z.enum(["running", "stopped", "promoted"]),
  task: z.enum(["classification", "regression"]),
  arms: z.array(AbArm).min(2),
  metric: AbMetric,
  min_sample_size: z.number().int().min(1),
  duration_hours: z.number().positive().nullable(),
  alpha: z.number().gt(0).lt(1),
  started_at: z.string(),
  started_by: z.string(),
  /** What keys are hashed with to pick their arm; null: the alias and started_at. */
  assignment_seed: z.string().nullable().optional(),
  /** The last change of arms or weights (null until one). Assignment stays sticky while weights are unchanged. */
  changed_at: z.string().nullable(),
  deployment: z.string().describe("The deployment commit the test runs on."),
  base_version: z.number().int().describe("The version the alias served when the test started."),
  ended: z
    .object({
      at: z.string(),
      by: z.string(),
      winner: z.number().int().nullable(),
      decision: z.string().describe("The decision when it ended, in words."),
      deployment: z.string().optional().describe("promote: the deployment commit that moved the alias to the winner."),
    })
    .nullable(),
});
export type AbTest = z.infer<typeof AbTest>;

/** Gate report paths of an arm in a test commit. */
export const armGateFile = (version: number) => `gates/v${version}/governance.json`;
export const armOverrideFile = (version: number) => `gates/v${version}/override.json`;
