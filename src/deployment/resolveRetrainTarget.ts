import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { listModels, readAliases, requireVersion, resolveAlias, type VersionInfo } from "../registry/readRegistry.js";

/** The version a retraining starts from: the model, the alias whose traffic judges it (null when none serves it), and the version with its run. */
export interface RetrainTarget {
  model: string;
  alias: string | null;
  version: VersionInfo;
}

const FORMS = "name@alias (the version an alias serves), a model name (its production alias), or name/version";

/**
 * What retrain_model's `model_id` names: `name@alias` the version the alias serves, a bare name
 * its `production` alias, `name/version` that version (judged on the traffic of an alias serving
 * it, `production` first, when one does). Each failure names `model_id` and what exists: a
 * malformed id is INVALID_INPUT; a model, alias or version that does not exist is NOT_FOUND.
 *
 * @example
 * ```ts
 * const t = await resolveRetrainTarget(ws, "temp@production"); // { model: "temp", alias: "production", version: { version: 1, run_id: … } }
 * ```
 */
export async function resolveRetrainTarget(ws: Workspace, modelId: string): Promise<RetrainTarget> {
  const id = modelId.trim();
  const at = /^([^@/]+)@([^@/]+)$/.exec(id);
  const slash = /^([^@/]+)\/([^@/]+)$/.exec(id);
  const model = at?.[1] ?? slash?.[1] ?? id;
  if (!at && !slash && /[@/]/.test(id)) {
    throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' is not of a form retrain_model takes.`, {
      hint: `model_id takes ${FORMS}.`,
      details: { field: "model_id" },
    });
  }
  checkModelName(model, "model_id");
  const versions = (await listModels(ws)).get(model);
  if (!versions?.length) {
    const known = [...(await listModels(ws)).keys()];
    throw new DwError("NOT_FOUND", `No registered model '${model}' in this workspace.`, {
      hint: known.length ? `Registered models: ${known.join(", ")}.` : "Register a run first with register_model, or use productionize.",
      details: { field: "model_id" },
    });
  }
  const aliases = await readAliases(ws, model);
  if (slash) {
    const v = slash[2];
    if (!/^[1-9]\d{0,14}$/.test(v)) {
      throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' has a version that is not a whole number of at least 1.`, {
        hint: `model_id takes ${FORMS}.`,
        details: { field: "model_id" },
      });
    }
    const version = await requireVersion(ws, model, Number(v), aliases).catch((e: unknown) => {
      throw e instanceof DwError && e.code === "NOT_FOUND"
        ? new DwError("NOT_FOUND", `Model '${model}' has no version ${v}.`, {
            hint: `Its versions: ${versions.map((n) => `${model}/${n}`).join(", ")}.`,
            details: { field: "model_id" },
          })
        : e;
    });
    const serving = version.aliases.includes("production") ? "production" : (version.aliases[0] ?? null);
    return { model, alias: serving, version };
  }
  const alias = at ? at[2] : "production";
  checkAlias(alias, "model_id");
  const resolved = await resolveAlias(ws, model, alias);
  if (!resolved) {
    const named = Object.entries(aliases).map(([a, n]) => `${model}@${a} (v${n})`);
    throw new DwError("NOT_FOUND", `${model}@${alias} serves no version.`, {
      hint: named.length
        ? `Aliases of ${model}: ${named.join(", ")}. Or name a version: ${model}/${versions[versions.length - 1]}.`
        : `${model} has no alias; name a version: ${model}/${versions[versions.length - 1]}.`,
      details: { field: "model_id" },
    });
  }
  return { model, alias, version: await requireVersion(ws, model, resolved.version, aliases) };
}

function cut(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
