import type { Workspace } from "../workspace/Workspace.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { aliasRef, deploymentRef, modelVersionRef } from "./refs.js";
import { DwError, isDwError } from "../errors/DwError.js";

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

/**
 * Alias → version for one model. An alias ref holds the registration commit of the version it
 * names; an alias whose ref is damaged, or names a commit that is not a registration of this
 * model, is left out (it is never served either).
 */
export async function readAliases(ws: Workspace, name: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const alias of await ws.listRefs(`refs/dw/aliases/${name}`)) {
    if (alias.includes("/")) continue;
    const oid = await ws.readRef(aliasRef(name, alias)).catch(() => null);
    if (!oid) continue;
    const reg = await readRegistration(ws, oid);
    if (reg && reg.model_name === name) out[alias] = reg.version;
  }
  return out;
}

/** registration.json of a registration commit, or null when `oid` is not one (or it is unreadable). */
export async function readRegistration(ws: Workspace, oid: string): Promise<Registration | null> {
  try {
    const reg = await ws.readJson<Registration>(oid, "registration.json");
    if (!reg || typeof reg !== "object" || typeof reg.model_name !== "string" || !Number.isInteger(reg.version) || typeof reg.run_id !== "string") return null;
    return reg;
  } catch {
    return null;
  }
}

/** A registered version, or null when it is absent or its ref or commit is damaged (listings skip those). */
export async function readVersion(ws: Workspace, name: string, version: number, aliases?: Record<string, number>): Promise<VersionInfo | null> {
  try {
    return await requireVersion(ws, name, version, aliases);
  } catch (e) {
    if (isDwError(e) && (e.code === "NOT_FOUND" || e.code === "DATA_ERROR")) return null;
    throw e;
  }
}

/**
 * A registered version: NOT_FOUND when the model has no such version, DATA_ERROR naming the ref
 * when the ref exists but does not hold a registration of that version (a hand edit, a bad push).
 */
export async function requireVersion(ws: Workspace, name: string, version: number, aliases?: Record<string, number>): Promise<VersionInfo> {
  const ref = modelVersionRef(name, version);
  const commit = await ws.readRef(ref);
  if (!commit) throw new DwError("NOT_FOUND", `Model '${name}' has no version ${version}.`, { details: { field: "version" } });
  const reg = await readRegistration(ws, commit);
  let run: RunRecord | null = null;
  try {
    run = await ws.readJson<RunRecord>(commit, "run.json");
  } catch {
    run = null;
  }
  if (!reg || reg.model_name !== name || reg.version !== version || !run || typeof run !== "object") {
    throw new DwError("DATA_ERROR", `The ref ${ref} is damaged: it does not name a registration of ${name} v${version} with its run.`, {
      hint: `Inspect it with: git show ${ref}. Register the run again to make a new version, or delete the ref with: git update-ref -d ${ref}`,
      details: { ref, field: "version" },
    });
  }
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
