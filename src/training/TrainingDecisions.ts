import { z } from "zod";
import { GateStatus } from "../policy/GateReport.js";

/** The task a training learned, and why: the rule in words, and a warning when the choice may be wrong. */
export const TaskDecision = z.object({
  value: z.enum(["regression", "classification"]).describe("The task trained."),
  rule: z
    .string()
    .describe(
      "Why this task, in words: the task asked for, the algorithm's, or the rule applied to the target (e.g. \"the target 'quality' is numeric with 7 distinct whole values (3 to 9); trained as a regression\").",
    ),
  warning: z
    .string()
    .optional()
    .describe("Set when the inferred task may be wrong: a regression on a target of few whole values, which may be class labels (pass task: classification)."),
});
export type TaskDecision = z.infer<typeof TaskDecision>;

/** The algorithm a training fitted, and why: asked for, repeated from the run retrained, or dw's default for the task. */
export const AlgorithmDecision = z.object({
  value: z.string().describe("The algorithm trained."),
  rule: z.string().describe('Why this algorithm, in words (e.g. "no algorithm was asked for: logistic_regression is dw\'s default for a classification …").'),
});
export type AlgorithmDecision = z.infer<typeof AlgorithmDecision>;

/** A dataset column the training did not learn from, and why. */
export const SkippedFeature = z.object({
  column: z.string().describe("The dataset column left out."),
  reason: z.string().describe("Why, in words: the target, not among the features asked for, empty, text with too many values to encode, personal data, …"),
});
export type SkippedFeature = z.infer<typeof SkippedFeature>;

/** Which columns a training learned from, where that list came from, and every other column with its reason. */
export const FeatureDecision = z.object({
  chosen_by: z
    .enum(["asked", "pipeline", "default"])
    .describe("Where the features came from: the features asked for, the named feature pipeline's, or dw's default choice."),
  used: z.array(z.string()).describe("The columns learned from, in order."),
  skipped: z.array(SkippedFeature).describe("Every other column of the dataset, in dataset order, with the reason it was left out."),
});
export type FeatureDecision = z.infer<typeof FeatureDecision>;

/** A gate that ran before fitting and its verdict. */
export const GateDecision = z.object({
  gate: z.string().describe("quality, governance or cost."),
  status: GateStatus.describe("The gate's verdict: pass, warn or fail (a failed gate trains only when overridden with a reason)."),
  summary: z.string().describe("The verdict's reasons in one line; the full report is gates/<gate>.json in the run commit."),
});
export type GateDecision = z.infer<typeof GateDecision>;

/**
 * What a training decided for the user and why, where a choice was made silently before: the task
 * and the rule that chose it, the algorithm and why, the features used and the columns left out with their reasons, and
 * the gates that ran with their verdicts. train_model and retrain_model answer with it.
 */
export const TrainingDecisions = z.object({
  task: TaskDecision,
  algorithm: AlgorithmDecision,
  features: FeatureDecision,
  gates: z.array(GateDecision).describe("The gates that ran before fitting, with their verdicts."),
});
export type TrainingDecisions = z.infer<typeof TrainingDecisions>;
