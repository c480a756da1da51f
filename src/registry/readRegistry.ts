import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { RunRecord } from "../runs/RunRecord.js";
import { aliasRef, deploymentRef, modelVersionRef } from "./refs.js";
import { isAlias } from "../workspace/refNames.js";
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

/**
 * `registration.json` in a registration commit (refs/dw/models/<name>/<version>), whose first
 * parent is the run commit. Loose: a hand-added field such as `model_card` (see readModelCard) is
 * kept.
 */
export const Registration = z.looseObject({
  model_name: z.string(),
  version: z.number().int(),
  run_id: z.string(),
  run_commit: z.string(),
  registered_at: z.string(),
  description: z.string().optional(),
});
export type Registration = z.infer<typeof Registration>;

/**
 * `model_card.json`, which a registration commit may hold (dw does not write it; a team may add
 * it): model-card fields by name, text or any JSON value (see readModelCard).
 */
export const ModelCardFields = z.record(z.string(), z.unknown());
export type ModelCardFields = z.infer<typeof ModelCardFields>;

/** `deployment.json` in a deployment commit (refs/dw/deployments/<name>/<alias>): which version the alias serves. */
export const DeploymentRecord = z.looseObject({
  model_name: z.string(),
  alias: z.string(),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  deployed_at: z.string(),
});
export type DeploymentRecord = z.infer<typeof DeploymentRecord>;

/**
 * `deployment.json` of an undeployment (undeploy_model), a commit on the same ref: the alias is
 * served no more (`version` is null, so a reader that knows only DeploymentRecord finds no version
 * in it either), since when, by whom, and the version it served until then.
 */
export const UndeploymentRecord = z.looseObject({
  model_name: z.string(),
  alias: z.string(),
  version: z.null(),
  undeployed_at: z.string(),
  undeployed_by: z.string(),
  undeployed_version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type UndeploymentRecord = z.infer<typeof UndeploymentRecord>;

/**
 * What the last record on refs/dw/deployments/<name>/<alias> says: the alias serves a version
 * (with its registration commit), or it was undeployed (with the record and its commit).
 */
export type LastDeployment = { kind: "deployed"; version: number; commit: string } | { kind: "undeployed"; record: UndeploymentRecord; commit: string };

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
 * Alias → version for one model, as the server serves it (resolveAlias). An alias that is damaged,
 * or names a commit that is not a registration of this model, is left out (it is never served).
 */
export async function readAliases(ws: Workspace, name: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const names = new Set([...(await ws.listRefs(`refs/dw/aliases/${name}`)), ...(await ws.listRefs(`refs/dw/deployments/${name}`))]);
  for (const alias of [...names].sort()) {
    if (alias.includes("/") || !isAlias(alias)) continue;
    const resolved = await resolveAlias(ws, name, alias);
    if (resolved) out[alias] = resolved.version;
  }
  return out;
}

/**
 * The registration an alias names, as the server serves it. For a deployed alias the last
 * deployment record decides: it is written before the alias ref, so a process killed between the
 * two leaves the record one move ahead, and the record is what passed the gate and loaded. An
 * alias whose last record is an undeployment is served by nothing, whatever its alias ref still
 * names (the ref is deleted after the record, likewise). Else the alias ref. Null when nothing
 * names a registration of this model.
 */
export async function resolveAlias(ws: Workspace, name: string, alias: string): Promise<{ version: number; commit: string } | null> {
  const last = await lastDeployment(ws, name, alias);
  if (last?.kind === "undeployed") return null;
  if (last) return { version: last.version, commit: last.commit };
  const oid = await ws.readRef(aliasRef(name, alias)).catch(() => null);
  const reg = oid ? await readRegistration(ws, oid) : null;
  if (!oid || !reg || reg.model_name !== name) return null;
  return { version: reg.version, commit: oid };
}

/** The version the last deployment record of (name, alias) names, with its registration commit; null when there is none or the alias was undeployed. */
export async function deployedVersion(ws: Workspace, name: string, alias: string): Promise<{ version: number; commit: string } | null> {
  const last = await lastDeployment(ws, name, alias);
  return last?.kind === "deployed" ? { version: last.version, commit: last.commit } : null;
}

/**
 * The last deployment record of (name, alias): a deployment of a registered version, or an
 * undeployment. Null when there is no record, or it cannot be read, or it names a version whose
 * registration is missing or damaged (the alias ref then decides, as before any deployment).
 */
export async function lastDeployment(ws: Workspace, name: string, alias: string): Promise<LastDeployment | null> {
  const head = await ws.readRef(deploymentRef(name, alias)).catch(() => null);
  const rec = head ? await readDeploymentEntry(ws, head, name) : null;
  if (!head || !rec) return null;
  if (rec.version === null) return { kind: "undeployed", record: rec, commit: head };
  const commit = await ws.readRef(modelVersionRef(name, rec.version)).catch(() => null);
  const reg = commit ? await readRegistration(ws, commit) : null;
  if (!commit || !reg || reg.model_name !== name || reg.version !== rec.version) return null;
  return { kind: "deployed", version: rec.version, commit };
}

/** deployment.json of a deployment commit of model `name`, or null when `oid` is not one (an undeployment, or unreadable). */
export async function readDeploymentRecord(ws: Workspace, oid: string, name: string): Promise<DeploymentRecord | null> {
  const rec = await ws.readDocument(DeploymentRecord, oid, "deployment.json").catch(() => null);
  return rec && rec.model_name === name ? rec : null;
}

const DeploymentEntry = z.union([DeploymentRecord, UndeploymentRecord]);

/** deployment.json of a deployment or undeployment commit of model `name`, or null when `oid` is neither (or it is unreadable). */
export async function readDeploymentEntry(ws: Workspace, oid: string, name: string): Promise<DeploymentRecord | UndeploymentRecord | null> {
  const rec = await ws.readDocument(DeploymentEntry, oid, "deployment.json").catch(() => null);
  return rec && rec.model_name === name ? rec : null;
}

/** registration.json of a registration commit, or null when `oid` is not one (or it is unreadable). */
export async function readRegistration(ws: Workspace, oid: string): Promise<Registration | null> {
  try {
    return await ws.readDocument(Registration, oid, "registration.json");
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
    run = reg && (await ws.readDocument(RunRecord, commit, "run.json", ref));
  } catch (e) {
    // A run.json that fails its schema is named with its field; anything else unreadable is "damaged" below.
    if (isDwError(e) && e.code === "DATA_ERROR") throw e;
    run = null;
  }
  if (!reg || reg.model_name !== name || reg.version !== version || !run) {
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
