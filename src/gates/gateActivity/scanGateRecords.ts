import type { Workspace } from "../../workspace/Workspace.js";
import { isDwError } from "../../errors/DwError.js";
import { GateReport } from "../../policy/GateReport.js";
import { GateOverrideRecord } from "../../policy/GateOverrideRecord.js";
import type { GateEvent, GateSubject, OverrideEvent } from "../../policy/GateActivity.js";
import { RUN_ID, runRef } from "../../runs/runId.js";
import { DeploymentRecord, UndeploymentRecord } from "../../registry/readRegistry.js";
import { deploymentRef } from "../../registry/refs.js";
import { isAlias, isModelName } from "../../workspace/refNames.js";

/** The gate records of one commit: its reports and its override, or what kept them from being read. */
export interface CommitGates {
  reports: GateEvent[];
  override: OverrideEvent | null;
  problem?: string;
}

/** Every gate record of the workspace's run and deployment commits, with what could not be read. */
export interface GateRecords {
  commits: CommitGates[];
  /** The newest deployment commit of each deployed alias (their reports are among `commits`). */
  deployments: { model: string; alias: string; commit: string }[];
  problems: string[];
}

const GATES = ["quality", "governance", "cost"] as const;
/** How many commits of one alias's deployment history are read: a bound on a pushed history, far above a real one. */
const MAX_DEPLOYMENTS_PER_ALIAS = 1_000;

interface Kept {
  /** By commit oid: a commit never changes, so its gate records are read once. */
  commits: Map<string, CommitGates>;
  /** By deployment ref: the head read last and the commits of its history, newest first. */
  chains: Map<string, { head: string; oids: string[] }>;
}
const kept = new WeakMap<Workspace, Kept>();
const COMMITS_KEPT = 20_000;

/**
 * The gate reports and overrides stored in every run commit (refs/dw/runs/<id>: what train_model's
 * gates found) and every deployment commit (refs/dw/deployments/<model>/<alias>, its whole history:
 * what the deploy gate found each time an alias moved). Each commit is read once per process and
 * kept by its oid, and a deployment history by its head, so the sidebar's poll of an unchanged
 * workspace reads the refs and nothing else. A report that cannot be read is named in `problems`
 * and the rest is still returned.
 *
 * @example
 * ```ts
 * const { commits } = await scanGateRecords(ws);
 * commits.flatMap((c) => c.reports).filter((r) => r.status === "warn");
 * ```
 */
export async function scanGateRecords(ws: Workspace): Promise<GateRecords> {
  let cache = kept.get(ws);
  if (!cache) {
    cache = { commits: new Map(), chains: new Map() };
    kept.set(ws, cache);
  }
  const out: GateRecords = { commits: [], deployments: [], problems: [] };

  for (const runId of await ws.listRefs("refs/dw/runs")) {
    if (!RUN_ID.test(runId)) continue;
    const head = await ws.readRef(runRef(runId)).catch(() => null);
    if (!head) continue;
    out.commits.push(await commitGates(ws, cache, head, { step: "train_model", run_id: runId, commit: head }));
  }

  for (const name of await ws.listRefs("refs/dw/deployments")) {
    const [model, alias, more] = name.split("/");
    if (!model || !alias || more !== undefined || !isModelName(model) || !isAlias(alias)) continue;
    const ref = deploymentRef(model, alias);
    const head = await ws.readRef(ref).catch(() => null);
    if (!head) continue;
    out.deployments.push({ model, alias, commit: head });
    let chain = cache.chains.get(ref);
    if (chain?.head !== head) {
      chain = { head, oids: await history(ws, head) };
      cache.chains.set(ref, chain);
    }
    for (const oid of chain.oids) {
      const deployed = await deploymentSubject(ws, oid, model, alias);
      if (deployed) out.commits.push(await commitGates(ws, cache, oid, deployed));
    }
  }
  for (const c of out.commits) if (c.problem) out.problems.push(c.problem);
  if (cache.commits.size > COMMITS_KEPT) cache.commits.clear();
  return out;
}

async function history(ws: Workspace, head: string): Promise<string[]> {
  const oids: string[] = [];
  let oid: string | undefined = head;
  for (let i = 0; oid && i < MAX_DEPLOYMENTS_PER_ALIAS; i++) {
    oids.push(oid);
    oid = (await ws.readCommit(oid).catch(() => null))?.parents[0];
  }
  return oids;
}

/** Who a deployment commit's gates ran for (register_model moves an alias too: its commit says so), or null for an undeployment. */
async function deploymentSubject(ws: Workspace, oid: string, model: string, alias: string): Promise<GateSubject | null> {
  const text = await ws.readText(oid, "deployment.json", { maxBytes: 64 * 1024 }).catch(() => null);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (UndeploymentRecord.safeParse(json).success) return null;
  const rec = DeploymentRecord.safeParse(json);
  const message = (await ws.readCommit(oid).catch(() => null))?.message ?? "";
  const step = /^Dw-Via: register_model$/m.test(message) ? "register_model" : "deploy_model";
  return { step, model, alias, ...(rec.success ? { version: rec.data.version } : {}), commit: oid };
}

async function commitGates(ws: Workspace, cache: Kept, oid: string, subject: GateSubject): Promise<CommitGates> {
  const known = cache.commits.get(oid);
  if (known) return known;
  const where = subject.step === "train_model" ? `run ${subject.run_id}` : `the deployment of ${subject.model}@${subject.alias} (commit ${oid.slice(0, 10)})`;
  const reports: GateEvent[] = [];
  const problems: string[] = [];
  for (const gate of GATES) {
    try {
      const r = await ws.readDocument(GateReport, oid, `gates/${gate}.json`);
      if (r) reports.push({ ...r, subject });
    } catch (e) {
      problems.push(`The ${gate} gate report of ${where} cannot be read: ${messageOf(e)}`);
    }
  }
  let override: OverrideEvent | null = null;
  try {
    const o = await ws.readDocument(GateOverrideRecord, oid, "gates/override.json");
    if (o) {
      override = {
        by: o.by,
        reason: o.reason,
        at: o.at,
        gates: o.gates,
        findings: o.findings.map((f) => ({ gate: f.gate, check: f.check, message: f.message })),
        subject,
      };
    }
  } catch (e) {
    problems.push(`The override record of ${where} cannot be read: ${messageOf(e)}`);
  }
  const gates: CommitGates = { reports, override, ...(problems.length ? { problem: problems.join(" ") } : {}) };
  cache.commits.set(oid, gates);
  return gates;
}

function messageOf(e: unknown): string {
  return isDwError(e) || e instanceof Error ? e.message : String(e);
}
