import type { Workspace } from "../workspace/Workspace.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { aliasRef, deploymentRef } from "./refs.js";

export interface VersionInfo {
  name: string;
  version: number;
  /** The registration commit (its first parent is the run commit). */
  commit: string;
  run_id: string;
  registered_at: string;
  description?: string;
  run: RunRecord;
  aliases: string[];
}

export interface Registration {
  model_name: string;
  version: number;
  run_id: string;
  run_commit: string;
  registered_at: string;
  description?: string;
}

export interface DeploymentRecord {
  model_name: string;
  alias: string;
  deployed_at: string;
  version: number;
}

/** Every registered model name with its versions (ascending). */
export async function listModels(ws: Workspace): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const name of await ws.listRefs("refs/dw/models")) {
    const [model, v] = name.split("/");
    if (!model || !/^\d+$/.test(v ?? "")) continue;
    const list = out.get(model) ?? [];
    list.push(Number(v));
    out.set(model, list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/** Alias → version for one model. An alias ref holds the commit of the version it names. */
export async function readAliases(ws: Workspace, name: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const alias of await ws.listRefs(`refs/dw/aliases/${name}`)) {
    if (alias.includes("/")) continue;
    const oid = await ws.readRef(aliasRef(name, alias));
    if (!oid) continue;
    const reg = await ws.readJson<Registration>(oid, "registration.json");
    if (reg) out[alias] = reg.version;
  }
  return out;
}

export async function readVersion(ws: Workspace, name: string, version: number, aliases?: Record<string, number>): Promise<VersionInfo | null> {
  const commit = await ws.readRef(`refs/dw/models/${name}/${version}`);
  if (!commit) return null;
  const reg = await ws.readJson<Registration>(commit, "registration.json");
  const run = await ws.readJson<RunRecord>(commit, "run.json");
  if (!reg || !run) return null;
  const al = aliases ?? (await readAliases(ws, name));
  return {
    name,
    version,
    commit,
    run_id: reg.run_id,
    registered_at: reg.registered_at,
    description: reg.description,
    run,
    aliases: Object.entries(al)
      .filter(([, v]) => v === version)
      .map(([a]) => a)
      .sort(),
  };
}

/** Deployments: one per (model, alias) that deploy_model has put behind the server. */
export async function listDeployments(ws: Workspace): Promise<DeploymentRecord[]> {
  const out: DeploymentRecord[] = [];
  for (const name of await ws.listRefs("refs/dw/deployments")) {
    const [model, alias] = name.split("/");
    if (!model || !alias) continue;
    const oid = await ws.readRef(deploymentRef(model, alias));
    const rec = oid ? await ws.readJson<DeploymentRecord>(oid, "deployment.json") : null;
    if (rec) out.push(rec);
  }
  return out;
}
