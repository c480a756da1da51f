import type { DomainContext } from "../workspace/DomainContext.js";
import type { Dataset } from "../data/Dataset.js";
import type { Task } from "../models/estimators.js";
import type { GateReport } from "../policy/GateReport.js";
import { runQualityGate } from "../quality/runQualityGate.js";
import { governanceGateForTraining } from "../governance/policy/governanceGateForTraining.js";
import { costGateForTraining } from "../cost/costGateForTraining.js";
import type { DataVersion } from "../data/profileCacheKey.js";

export interface TrainingGateArgs {
  datasetId: string;
  ds: Dataset;
  target: string;
  features: string[];
  algorithm: string;
  task: Task;
  hyperparameters: Record<string, unknown>;
  classes?: number;
  /**
   * The data version `ds` was read from (dataVersion of its dataset record): the quality profile and
   * the PII scans stored for it are read instead of computed again, and what is computed is stored.
   */
  version?: DataVersion;
}

/**
 * The three gates train_model runs before it fits anything: the data's quality (against the last
 * training snapshot of the same dataset), governance (PII used as features, per the policy) and
 * cost (predicted time and memory against the policy's limits, which default to an hour and 80%
 * of memory). All three run, so a blocked training reports every reason at once.
 */
export async function runTrainingGates(ctx: DomainContext, args: TrainingGateArgs): Promise<GateReport[]> {
  const quality = await runQualityGate(ctx, {
    datasetId: args.datasetId,
    ds: args.ds,
    target: args.target,
    features: args.features,
    task: args.task,
    version: args.version,
  });
  const governance = await governanceGateForTraining(ctx, {
    datasetId: args.datasetId,
    ds: args.ds,
    features: args.features,
    target: args.target,
    version: args.version,
  });
  const cost = await costGateForTraining(ctx, {
    rows: args.ds.rows,
    features: args.features.length,
    algorithm: args.algorithm,
    hyperparameters: args.hyperparameters,
    task: args.task,
    classes: args.classes,
  });
  return [quality, governance, cost];
}
