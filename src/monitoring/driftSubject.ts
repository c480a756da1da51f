import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { requireVersion, resolveAlias } from "../registry/readRegistry.js";
import { RUN_ID } from "../runs/runId.js";

/** The model a drift check is about: its run (whose reference it compares with) and the deployment whose traffic it reads. */
export interface DriftSubject {
  runId: string;
  /** The registered version, when model_id named one (directly or through an alias). */
  version?: number;
  /** The deployment whose inference log holds the traffic (null when none serves the model). */
  deployment: { model: string; alias: string } | null;
}

/**
 * The run and deployment a detect_model_drift `model_id` names, given the deployments serving it
 * (as get_ml_status resolves them, which checks the id's form and that it exists): `name@alias`
 * the version that alias serves; `name/version` that version; a run id itself; a bare model name
 * its one deployment. Several deployments for a name/version, run or model is INVALID_INPUT
 * asking for name@alias.
 *
 * @example
 * ```ts
 * const scope = await resolveStatusScope(ws, "churn@production");
 * const subject = await driftSubject(ws, "churn@production", scope.deployments); // { runId, version: 3, deployment: { model: "churn", alias: "production" } }
 * ```
 */
export async function driftSubject(ws: Workspace, modelId: string, deployments: { model: string; alias: string }[]): Promise<DriftSubject> {
  const id = modelId.trim();
  const at = /^([^@/]+)@([^@/]+)$/.exec(id);
  const slash = /^([^@/]+)\/([^@/]+)$/.exec(id);
  const one = (): DriftSubject["deployment"] => {
    if (deployments.length > 1) {
      throw new DwError("INVALID_INPUT", `${id} is served at ${deployments.map((d) => `${d.model}@${d.alias}`).join(", ")}: say which traffic to check.`, {
        hint: `Pass model_id as one of ${deployments.map((d) => `${d.model}@${d.alias}`).join(", ")}.`,
        details: { field: "model_id" },
      });
    }
    return deployments[0] ?? null;
  };
  if (at) {
    const [, model, alias] = at;
    const served = await resolveAlias(ws, model, alias);
    if (!served) throw new DwError("NOT_FOUND", `${model}@${alias} serves no version.`, { details: { field: "model_id" } });
    const v = await requireVersion(ws, model, served.version);
    return { runId: v.run_id, version: served.version, deployment: { model, alias } };
  }
  if (slash) {
    const v = await requireVersion(ws, slash[1], Number(slash[2]));
    return { runId: v.run_id, version: v.version, deployment: one() };
  }
  if (RUN_ID.test(id)) {
    // Only the rows the run's version answered are its traffic (the alias may have served others before).
    const d = one();
    const served = d ? await resolveAlias(ws, d.model, d.alias) : null;
    return { runId: id, ...(served ? { version: served.version } : {}), deployment: d };
  }
  // A model name: its one deployment's version.
  const d = one();
  if (!d) {
    throw new DwError("NOT_FOUND", `${id} is not deployed, so it has no traffic and no version to check.`, {
      hint: `Pass model_id as ${id}/<version> with dataset_id, or deploy it first.`,
      details: { field: "model_id" },
    });
  }
  return driftSubject(ws, `${d.model}@${d.alias}`, [d]);
}
