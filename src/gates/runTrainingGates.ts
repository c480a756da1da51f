import type { ToolContext } from "../tools/ToolContext.js";
import type { Dataset } from "../data/Dataset.js";
import type { GateReport } from "./GateReport.js";
import { runQualityGate } from "../quality/runQualityGate.js";
import { governanceGateForTraining } from "../governance/policy/governanceGateForTraining.js";
import { costGateForTraining } from "../cost/costGateForTraining.js";
import { readPolicySection } from "../governance/policy/readPolicySection.js";
import { CostPolicy, costAllowed } from "../cost/CostPolicy.js";

export interface TrainingGateArgs {
  datasetId: string;
  ds: Dataset;
  target: string;
  features: string[];
  algorithm: string;
  task: string;
  hyperparameters: Record<string, unknown>;
  classes?: number;
}

/**
 * The three gates train_model runs before it fits anything: the data's quality (against the last
 * training snapshot of the same dataset), governance (PII used as features, per the policy) and
 * cost (predicted time and memory against the policy's limits). All three run, so a blocked
 * training reports every reason at once.
 *
 * The cost gate measures the machine once per workspace (several seconds); without a cost limit
 * in dw.policy.yaml there is nothing to compare with, so it is not estimated then and its report
 * says so (estimate_cost gives the numbers on demand).
 */
export async function runTrainingGates(ctx: ToolContext, args: TrainingGateArgs): Promise<GateReport[]> {
  const quality = await runQualityGate(ctx, { datasetId: args.datasetId, ds: args.ds, target: args.target, features: args.features });
  const governance = await governanceGateForTraining(ctx, { datasetId: args.datasetId, ds: args.ds, features: args.features, target: args.target });
  const { policy } = await readPolicySection(ctx.workspace, "cost", CostPolicy, costAllowed);
  const limited = policy.max_train_seconds !== undefined || policy.max_peak_memory_gb !== undefined || policy.max_cost_usd !== undefined;
  const cost: GateReport = limited
    ? await costGateForTraining(ctx, {
        rows: args.ds.rows,
        features: args.features.length,
        algorithm: args.algorithm,
        hyperparameters: args.hyperparameters,
        task: args.task,
        classes: args.classes,
      })
    : { gate: "cost", status: "pass", summary: "No cost limit in dw.policy.yaml (cost: max_train_seconds, max_peak_memory_gb, max_cost_usd); not estimated. estimate_cost gives the estimate.", findings: [], checked_at: ctx.now().toISOString() };
  return [quality, governance, cost];
}
