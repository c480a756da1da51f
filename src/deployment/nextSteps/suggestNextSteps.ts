import type { DomainContext } from "../../workspace/DomainContext.js";
import type { Workspace } from "../../workspace/Workspace.js";
import type { NextStep } from "../NextStep.js";
import type { GateEvent } from "../../policy/GateActivity.js";
import { listRecentRuns } from "../../experiments/listRecentRuns.js";
import { readRegistryListing } from "../../registry/readRegistryListing.js";
import { readRun } from "../../runs/readRun.js";
import { readMonitoringStatus } from "../../monitoring/monitor/readMonitoringStatus.js";
import { readGovernancePolicy } from "../../governance/policy/governanceGateForTraining.js";
import { readAllApprovals } from "../../gates/gateActivity/readGateActivity.js";
import { scanGateRecords } from "../../gates/gateActivity/scanGateRecords.js";
import { nextStepRules, PRODUCTION, type NextStepFacts } from "./nextStepRules.js";

/** How many of the newest runs the rules look at: the ones a user still has in mind. */
export const RUNS_CONSIDERED = 50;

/** A run's target and task never change (log_metrics adds metrics only), so they are read once per run. */
const runTargets = new WeakMap<Workspace, Map<string, { target: string; task: string }>>();

/**
 * What to do next, from the workspace's state, by the rules written down in docs/next-steps.md
 * (nextStepRules): approve a waiting request, retrain a drifting endpoint, deploy a run that beats
 * production, request an approval the policy needs, read a gate's warning, productionize a first
 * run. Reads only what the sidebar's other parts read (the newest runs, the registry, monitoring,
 * the policy, the review chains), each kept by commit where it can be, so it is cheap to poll.
 *
 * @example
 * ```ts
 * const steps = await suggestNextSteps(ctx);
 * steps[0]?.action; // { kind: "tool", tool: "productionize", input: { run_id: "…", model_name: "temp" }, … }
 * ```
 */
export async function suggestNextSteps(ctx: DomainContext): Promise<NextStep[]> {
  const ws = ctx.workspace;
  const runs = await listRecentRuns(ws, { limit: RUNS_CONSIDERED });
  const { models, deployed } = await readRegistryListing(ws);
  const production = new Map<string, { target: string; task: string }>();
  let targets = runTargets.get(ws);
  if (!targets) {
    targets = new Map();
    runTargets.set(ws, targets);
  }
  for (const m of models) {
    const served = m.versions.find((v) => v.version === m.aliases[PRODUCTION]);
    if (!served || served.error) continue;
    let t = targets.get(served.run_id);
    if (!t) {
      const { run } = await readRun(ws, served.run_id).catch(() => ({ run: null }));
      if (!run) continue;
      t = { target: run.target, task: run.task };
      targets.set(served.run_id, t);
    }
    production.set(m.name, t);
  }
  const deployments: NextStepFacts["deployments"] = [];
  for (const d of deployed)
    deployments.push({ model: d.model, alias: d.alias, version: d.version, monitoring: await readMonitoringStatus(ws, d.model, d.alias) });
  const { policy } = await readGovernancePolicy(ctx);
  const records = await scanGateRecords(ws);
  // The newest deployment commit is the one whose deploy gate ran last.
  const deployReports = records.commits.flatMap((c) => c.reports).filter((r) => r.subject.step !== "train_model");
  const newest = deployReports.reduce<GateEvent | undefined>((n, r) => (!n || r.checked_at > n.checked_at ? r : n), undefined);
  return nextStepRules({
    runs,
    models,
    production,
    deployments,
    approvalAliases: policy.deployment.approval_required_aliases,
    approvals: await readAllApprovals(ws),
    newestDeployment: newest ? deployReports.filter((r) => r.subject.commit === newest.subject.commit) : [],
  });
}
