import { z } from "zod";
import { defineTool } from "./defineTool.js";
import { DwError } from "../errors/DwError.js";
import { requireColumn } from "../data/requireColumn.js";
import { defaultFeatures } from "../models/trainingData.js";
import { GovernanceReport } from "../governance/policy/GovernanceReport.js";
import { findModelVersion } from "../governance/review/findModelVersion.js";

export const CheckPolicyInput = z
  .strictObject({
    dataset_id: z.string().min(1).optional().describe("Training check: the dataset to train on."),
    features: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe("Training check: the feature columns (default: train_model's default features for the target, or every column)."),
    target: z.string().min(1).optional().describe("Training check: the column to predict."),
    model_name: z.string().min(1).optional().describe("Deployment check: the registered model."),
    version: z.number().int().min(1).optional().describe("Deployment check: the version (default: the newest)."),
    alias: z.string().optional().describe("Deployment check: the alias it would move to, e.g. production."),
  })
  .superRefine((v, ctx) => {
    const training = v.dataset_id !== undefined;
    const deployment = v.model_name !== undefined;
    if (training === deployment) {
      ctx.addIssue({
        code: "custom",
        path: [training ? "model_name" : "dataset_id"],
        message: training
          ? "give dataset_id (a training check) or model_name (a deployment check), not both"
          : "give dataset_id (a training check) or model_name (a deployment check)",
      });
    }
    if (training && (v.version !== undefined || v.alias !== undefined))
      ctx.addIssue({
        code: "custom",
        path: [v.version !== undefined ? "version" : "alias"],
        message: "version and alias belong to a deployment check (model_name)",
      });
    if (deployment && (v.features !== undefined || v.target !== undefined))
      ctx.addIssue({
        code: "custom",
        path: [v.features !== undefined ? "features" : "target"],
        message: "features and target belong to a training check (dataset_id)",
      });
  });
export type CheckPolicyInput = z.infer<typeof CheckPolicyInput>;

export const CheckPolicyOutput = GovernanceReport;

/**
 * Checks the project's governance policy (dw.policy.yaml) for a training — PII the policy forbids
 * among the features — or for a deployment — minimum metrics, required model-card fields, an
 * approved review where the alias or the training needs one. Returns allow, deny or review with
 * the reasons; train_model and deploy_model run the same checks by themselves.
 *
 * @example
 * ```ts
 * const r = await dw.checkPolicy({ model_name: "churn", version: 3, alias: "production" });
 * r.decision; // "review" until someone approves v3
 * ```
 */
export const checkPolicy = defineTool({
  name: "check_policy",
  annotations: { effect: "reads" },
  description:
    "Check the governance policy for a training (PII among the features) or a deployment (metrics, model card, approvals): allow, deny or review, with reasons.",
  input: CheckPolicyInput,
  output: CheckPolicyOutput,
  magic: { aliases: { data: "dataset_id", model: "model_name", name: "model_name" } },
  async run(input, ctx) {
    if (input.model_name !== undefined) {
      const { governanceGateForDeploy } = await import("../governance/policy/governanceGateForDeploy.js");
      return governanceGateForDeploy(ctx, {
        model: input.model_name,
        version: input.version ?? (await findModelVersion(ctx.workspace, input.model_name)).version,
        alias: input.alias,
      });
    }
    const { readDataset } = await import("../data/readDataset.js");
    const { record, ds } = await readDataset(ctx.workspace, input.dataset_id!);
    if (input.target !== undefined) requireColumn(ds, input.target, "target", record.dataset_id);
    for (const f of input.features ?? []) requireColumn(ds, f, "features", record.dataset_id);
    if (input.target !== undefined && input.features?.includes(input.target)) {
      throw new DwError("INVALID_INPUT", `The target '${input.target}' is also listed as a feature.`, {
        hint: "Remove it from features.",
        details: { field: "features" },
      });
    }
    const features = input.features ?? (input.target !== undefined ? defaultFeatures(ds, input.target) : ds.columns.map((c) => c.name));
    const { governanceGateForTraining } = await import("../governance/policy/governanceGateForTraining.js");
    const { dataVersion } = await import("../data/profileCacheKey.js");
    return governanceGateForTraining(ctx, {
      datasetId: record.dataset_id,
      ds,
      features,
      target: input.target ?? "",
      version: dataVersion(ctx.workspace, record),
    });
  },
});
