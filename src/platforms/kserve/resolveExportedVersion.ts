import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import { checkAlias, checkModelName } from "../../workspace/refNames.js";
import { deploymentRef } from "../../registry/refs.js";
import { lastDeployment, listModels, readAliases, readDeploymentRecord, requireVersion, resolveAlias, type VersionInfo } from "../../registry/readRegistry.js";

/** The deploy gate a version passed in the source workspace: the alias and its deployment commit (null when the alias was moved by register_model without a record). */
export interface GateEvidence {
  alias: string;
  deployment: string | null;
}

/** The version an export names, with the registration it reads and the deploy gate it passed. */
export interface ExportedVersion {
  info: VersionInfo;
  /** How model_id named it: `name@alias` or `name/version`. */
  source: string;
  evidence: GateEvidence;
}

const FORMS = "name@alias (the version that alias serves) or name/version (a version that passed a deploy gate)";

/**
 * The registered version `model_id` names for an export: `name@alias` is the version the alias
 * serves (as dw serve resolves it, its last deployment record first); `name/version` is that
 * version, which must have passed a deploy gate here (an alias serves it now, or a deployment
 * once named it), because the export serves it as a deployment. A malformed id is INVALID_INPUT,
 * a model, alias or version that is not there NOT_FOUND naming what is; each names `model_id`.
 * Only reads: the workspace is not locked or written.
 *
 * @example
 * ```ts
 * const v = await resolveExportedVersion(ws, "temp@production");
 * v.info.version; v.evidence.deployment; // 3, the deployment commit that served it
 * ```
 */
export async function resolveExportedVersion(ws: Workspace, modelId: string): Promise<ExportedVersion> {
  const id = modelId.trim();
  const m = /^([^@/]+)(?:@([^@/]+)|\/([^@/]+))$/.exec(id);
  if (!m) {
    throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' is not a model an export takes.`, {
      hint: `Use ${FORMS}, e.g. temp@production or temp/3.`,
      details: { field: "model_id" },
    });
  }
  const [, name, alias, versionText] = m;
  checkModelName(name, "model_id");
  const models = await listModels(ws);
  if (!models.has(name)) {
    const known = [...models.keys()].sort();
    throw new DwError("NOT_FOUND", `No registered model '${name}' in this workspace.`, {
      hint: known.length ? `Registered models: ${known.slice(0, 20).join(", ")}.` : "Register a run with register_model, then deploy it with deploy_model.",
      details: { field: "model_id" },
    });
  }
  const served = await readAliases(ws, name);
  if (alias !== undefined) {
    checkAlias(alias, "model_id");
    const resolved = await resolveAlias(ws, name, alias);
    if (!resolved) throw notServed(name, `alias '${alias}' of model '${name}' serves no version`, served);
    const last = await lastDeployment(ws, name, alias);
    const deployment = last?.kind === "deployed" ? await ws.readRef(deploymentRef(name, alias)) : null;
    return { info: await requireVersion(ws, name, resolved.version, served), source: id, evidence: { alias, deployment } };
  }
  if (!/^[1-9]\d{0,14}$/.test(versionText)) {
    throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' names a version that is not a whole number from 1.`, {
      hint: `Use ${FORMS}.`,
      details: { field: "model_id" },
    });
  }
  const version = Number(versionText);
  if (!models.get(name)?.includes(version)) {
    throw new DwError("NOT_FOUND", `Model '${name}' has no version ${version}.`, {
      hint: `Its versions: ${models.get(name)?.join(", ")}.`,
      details: { field: "model_id" },
    });
  }
  const evidence = await gateEvidence(ws, name, version, served);
  if (!evidence) throw notServed(name, `version ${version} of model '${name}' never passed a deploy gate`, served);
  return { info: await requireVersion(ws, name, version, served), source: id, evidence };
}

/**
 * Where `version` passed a deploy gate: the newest deployment record naming it (aliases in name
 * order, each history newest first), else an alias serving it that has no record (moved by
 * register_model --alias, which ran the gate). Null when neither.
 */
async function gateEvidence(ws: Workspace, name: string, version: number, served: Record<string, number>): Promise<GateEvidence | null> {
  const deployed = (await ws.listRefs(`refs/dw/deployments/${name}`)).filter((a) => !a.includes("/")).sort();
  for (const alias of deployed) {
    const seen = new Set<string>();
    for (let oid = await ws.readRef(deploymentRef(name, alias)).catch(() => null); oid && !seen.has(oid); ) {
      seen.add(oid);
      const rec = await readDeploymentRecord(ws, oid, name);
      if (rec?.version === version) return { alias, deployment: oid };
      oid = (await ws.readCommit(oid).catch(() => null))?.parents[0] ?? null;
    }
  }
  const alias = Object.keys(served)
    .sort()
    .find((a) => served[a] === version);
  return alias === undefined ? null : { alias, deployment: null };
}

function notServed(name: string, what: string, served: Record<string, number>): DwError {
  const list = Object.entries(served).map(([a, v]) => `${name}@${a} (v${v})`);
  return new DwError("NOT_FOUND", `Nothing to export: ${what}.`, {
    hint: `An export serves a deployed version. ${list.length ? `Served now: ${list.join(", ")}.` : "Deploy one first with deploy_model."} Or deploy this version with deploy_model --version N --alias staging, then export it.`,
    details: { field: "model_id" },
  });
}

const cut = (s: string) => (s.length > 120 ? `${s.slice(0, 100)}…` : s);
