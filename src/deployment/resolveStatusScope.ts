import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { isAlias, isModelName, checkAlias, checkModelName } from "../workspace/refNames.js";
import { listModels, readVersion, resolveAlias } from "../registry/readRegistry.js";
import { modelVersionRef } from "../registry/refs.js";
import { RUN_ID, runRef } from "../runs/runId.js";

/** What a get_ml_status call covers: the deployed aliases to report, and notes on what was asked but is not deployed. */
export interface StatusScope {
  /** What was asked, in words: "everything", "temp@production", "temp v2", "run 20261128-…", "temp". */
  label: string;
  /** Deployed aliases (model, alias) that serve something, by model then alias. */
  deployments: { model: string; alias: string }[];
  notes: string[];
  /** Only when nothing was named: trainings name no model yet. */
  everything: boolean;
}

const FORMS = "name@alias (one deployment), name/version, a run id, or a model name (all its deployments)";

/**
 * The deployments a get_ml_status `model_id` names: `name@alias` that deployment; `name/version`
 * the aliases serving that version; a run id the aliases serving a version registered from it; a
 * model name all its deployments; nothing, every deployment. A name that fits no form is
 * INVALID_INPUT, and a model, version, alias or run that does not exist NOT_FOUND, each naming
 * `model_id` and what exists. Something that exists but is not deployed is a note, not an error:
 * "not deployed" is its status.
 *
 * @example
 * ```ts
 * const scope = await resolveStatusScope(ws, "temp@production"); // { deployments: [{ model: "temp", alias: "production" }], … }
 * ```
 */
export async function resolveStatusScope(ws: Workspace, modelId: string | undefined): Promise<StatusScope> {
  const deployed = await deployedAliases(ws);
  if (modelId === undefined) return { label: "everything", deployments: deployed, notes: [], everything: true };
  const id = modelId.trim();
  const at = /^([^@/]+)@([^@/]+)$/.exec(id);
  const slash = /^([^@/]+)\/([^@/]+)$/.exec(id);
  if (at) {
    const [, model, alias] = at;
    checkModelName(model, "model_id");
    checkAlias(alias, "model_id");
    await requireModel(ws, model);
    const found = deployed.filter((d) => d.model === model && d.alias === alias);
    if (!found.length) {
      const others = deployed.filter((d) => d.model === model).map((d) => `@${d.alias}`);
      throw new DwError("NOT_FOUND", `${model}@${alias} is not deployed.`, {
        hint: others.length ? `${model} is deployed at ${others.join(", ")}.` : `${model} has no deployment; deploy_model serves one.`,
        details: { field: "model_id" },
      });
    }
    return { label: `${model}@${alias}`, deployments: found, notes: [], everything: false };
  }
  if (slash) {
    const [, model, v] = slash;
    checkModelName(model, "model_id");
    if (!/^[1-9]\d{0,14}$/.test(v)) {
      throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' has a version that is not a whole number of at least 1.`, {
        hint: `model_id takes ${FORMS}.`,
        details: { field: "model_id" },
      });
    }
    const version = Number(v);
    await requireModel(ws, model);
    if (!(await ws.readRef(modelVersionRef(model, version)))) {
      throw new DwError("NOT_FOUND", `Model '${model}' has no version ${version}.`, {
        hint: "get_model_versions lists its versions.",
        details: { field: "model_id" },
      });
    }
    const found = await servingVersion(ws, deployed, model, [version]);
    return {
      label: `${model} v${version}`,
      deployments: found,
      notes: found.length ? [] : [`${model} v${version} is registered but no alias serves it.`],
      everything: false,
    };
  }
  if (!isModelName(id) && !RUN_ID.test(id)) {
    throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' is not a model name, name@alias, name/version or run id.`, {
      hint: `model_id takes ${FORMS}.`,
      details: { field: "model_id" },
    });
  }
  const models = await listModels(ws);
  if (models.has(id)) {
    const found = deployed.filter((d) => d.model === id);
    return { label: id, deployments: found, notes: found.length ? [] : [`${id} is registered but not deployed.`], everything: false };
  }
  if (RUN_ID.test(id) && (await ws.readRef(runRef(id)))) return runScope(ws, deployed, models, id);
  throw new DwError("NOT_FOUND", `No registered model or run is named '${cut(id)}'.`, {
    hint: models.size
      ? `Registered models: ${[...models.keys()].sort().join(", ")}. model_id takes ${FORMS}.`
      : `Nothing is registered yet. model_id takes ${FORMS}.`,
    details: { field: "model_id" },
  });
}

/** A run's versions (in every model it was registered as) and the aliases serving them. */
async function runScope(ws: Workspace, deployed: StatusScope["deployments"], models: Map<string, number[]>, runId: string): Promise<StatusScope> {
  const found: StatusScope["deployments"] = [];
  const registered: string[] = [];
  for (const [model, versions] of models) {
    const fromRun: number[] = [];
    for (const v of versions) if ((await readVersion(ws, model, v))?.run_id === runId) fromRun.push(v);
    if (!fromRun.length) continue;
    registered.push(...fromRun.map((v) => `${model} v${v}`));
    found.push(...(await servingVersion(ws, deployed, model, fromRun)));
  }
  const note = !registered.length
    ? `Run ${runId} is not registered: register_model makes it a version.`
    : !found.length
      ? `Run ${runId} is registered as ${registered.join(", ")}, which no alias serves.`
      : undefined;
  return { label: `run ${runId}`, deployments: found, notes: note ? [note] : [], everything: false };
}

/** The deployed aliases of `model` that serve one of `versions`. */
async function servingVersion(ws: Workspace, deployed: StatusScope["deployments"], model: string, versions: number[]): Promise<StatusScope["deployments"]> {
  const out: StatusScope["deployments"] = [];
  for (const d of deployed) {
    if (d.model !== model) continue;
    const served = await resolveAlias(ws, d.model, d.alias);
    if (served && versions.includes(served.version)) out.push(d);
  }
  return out;
}

/** Every (model, alias) with a deployment ref whose alias serves a version (an undeployed alias serves none), sorted. */
async function deployedAliases(ws: Workspace): Promise<StatusScope["deployments"]> {
  const out: StatusScope["deployments"] = [];
  for (const name of (await ws.listRefs("refs/dw/deployments")).sort()) {
    const [model, alias, ...more] = name.split("/");
    if (!model || !alias || more.length || !isModelName(model) || !isAlias(alias)) continue;
    if (await resolveAlias(ws, model, alias).catch(() => null)) out.push({ model, alias });
  }
  return out;
}

async function requireModel(ws: Workspace, model: string): Promise<void> {
  const models = await listModels(ws);
  if (models.has(model)) return;
  throw new DwError("NOT_FOUND", `No registered model named '${model}'.`, {
    hint: models.size ? `Registered models: ${[...models.keys()].sort().join(", ")}.` : "Nothing is registered yet: register_model makes a version.",
    details: { field: "model_id" },
  });
}

function cut(s: string): string {
  return s.length > 120 ? `${s.slice(0, 100)}…` : s;
}
