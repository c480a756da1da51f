import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { GateReport } from "../policy/GateReport.js";
import { GateOverrideRecord } from "../policy/GateOverrideRecord.js";
import { deploymentRef } from "../registry/refs.js";
import { readDeploymentRecord, readRegistration, resolveAlias } from "../registry/readRegistry.js";
import { readMonitoringStatus } from "../monitoring/monitor/readMonitoringStatus.js";
import { readAbTestSummary } from "../monitoring/abtest/readAbTestSummary.js";
import type { DeploymentRecordStatus, GateOutcome, GateOverride } from "./DeploymentStatus.js";

/** A gate report as stored, with the governance gate's decision when it has one. */
const StoredGateReport = GateReport.extend({ decision: z.string().optional() });

const GATES = ["quality", "governance", "cost"] as const;

/** How far back "since" looks for the first deployment commit of the same version: a bound on the walk, far above any real history. */
const MAX_HISTORY = 1_000;

/**
 * What the records say about a deployed alias: the version it serves (as the server resolves it),
 * since when (the first of the deployment commits in a row that name that version, so a redeploy
 * of the same version does not reset it), and the gates that version passed: the deploy gate's
 * reports in the last deployment commit, and the training gates' in the version's run commit,
 * each with its failing or warning findings, plus any override with who and why, and its drift
 * monitoring (src/monitoring/monitor/readMonitoringStatus.ts). A report that
 * cannot be read is named in `error`; the rest is still returned. Null when the alias serves
 * nothing (never deployed, or undeployed).
 *
 * @example
 * ```ts
 * const d = await readDeploymentStatus(ws, "temp", "production"); // { version: 2, since: "…", gates: [...] }
 * ```
 */
export async function readDeploymentStatus(ws: Workspace, model: string, alias: string): Promise<DeploymentRecordStatus | null> {
  const served = await resolveAlias(ws, model, alias);
  const head = await ws.readRef(deploymentRef(model, alias)).catch(() => null);
  if (!served || !head) return null;
  const problems: string[] = [];
  const gates: GateOutcome[] = [];
  const overrides: GateOverride[] = [];
  const since = await servingSince(ws, model, head, served.version);
  for (const [step, commit] of [
    ["deploy", head],
    ["training", served.commit],
  ] as const) {
    for (const gate of GATES) {
      try {
        const report = await ws.readDocument(StoredGateReport, commit, `gates/${gate}.json`);
        if (report) gates.push(outcome(step, report));
      } catch (e) {
        problems.push(`The ${step} ${gate} gate report cannot be read: ${messageOf(e)}`);
      }
    }
    try {
      const o = await ws.readDocument(GateOverrideRecord, commit, "gates/override.json");
      if (o) overrides.push({ step, by: o.by, reason: o.reason, at: o.at, gates: o.gates });
    } catch (e) {
      problems.push(`The ${step} override record cannot be read: ${messageOf(e)}`);
    }
  }
  const registration = await readRegistration(ws, served.commit);
  if (!registration) problems.push(`The registration of ${model} v${served.version} cannot be read.`);
  return {
    model,
    alias,
    version: served.version,
    run_id: registration?.run_id ?? null,
    since,
    deployment_commit: head,
    gates,
    overrides,
    monitoring: await readMonitoringStatus(ws, model, alias),
    ab_test: await readAbTestSummary(ws, model, alias, head),
    ...(problems.length ? { error: problems.join(" ") } : {}),
  };
}

function outcome(step: GateOutcome["step"], r: z.output<typeof StoredGateReport>): GateOutcome {
  return {
    step,
    gate: r.gate,
    status: r.status,
    ...(r.decision !== undefined ? { decision: r.decision } : {}),
    summary: r.summary,
    findings: r.findings.filter((f) => f.status !== "pass").map((f) => ({ check: f.check, status: f.status, message: f.message })),
  };
}

/** deployed_at of the earliest deployment commit in the unbroken run, from `head` back, that names `version`. */
async function servingSince(ws: Workspace, model: string, head: string, version: number): Promise<string | null> {
  let since: string | null = null;
  let oid: string | undefined = head;
  for (let i = 0; oid && i < MAX_HISTORY; i++) {
    const rec = await readDeploymentRecord(ws, oid, model);
    if (!rec || rec.version !== version) break;
    since = rec.deployed_at;
    oid = (await ws.readCommit(oid).catch(() => null))?.parents[0];
  }
  return since;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
