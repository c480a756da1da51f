import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import { checkAlias, checkModelName } from "../../workspace/refNames.js";
import { listModels, readAliases, requireVersion, resolveAlias } from "../../registry/readRegistry.js";
import { loadModel, type LoadedModel } from "../../models/scoreModel.js";
import { MODEL_JSON_LIMITS } from "../../models/modelJsonLimits.js";

/** A registered version with its model.json loaded (parsed, checked, the estimator rebuilt). */
export interface RegisteredModel {
  name: string;
  version: number;
  /** The registration commit (refs/dw/models/<name>/<version>). */
  commit: string;
  run_id: string;
  model: LoadedModel;
}

const FORMS = "name@alias (the version an alias serves) or name/version";

/**
 * The registered version a platform export names, with its model.json loaded: `name@alias` the
 * version the alias serves (as dw serve resolves it), `name/version` that version. A malformed id
 * is INVALID_INPUT, a model, alias or version that does not exist NOT_FOUND (naming what does), a
 * damaged registration or model.json DATA_ERROR; each names `model_id`.
 *
 * @example
 * ```ts
 * const { version, model } = await readRegisteredModel(ws, "temp@production"); // version 3, model.json loaded
 * ```
 */
export async function readRegisteredModel(ws: Workspace, modelId: string): Promise<RegisteredModel> {
  const id = modelId.trim();
  const at = /^([^@/]+)@([^@/]+)$/.exec(id);
  const slash = /^([^@/]+)\/([^@/]+)$/.exec(id);
  if (!at && !slash) {
    throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' is not of a form an export takes.`, {
      hint: `model_id takes ${FORMS}, e.g. temp@production or temp/3.`,
      details: { field: "model_id" },
    });
  }
  const name = (at ?? slash)![1];
  checkModelName(name, "model_id");
  const versions = (await listModels(ws)).get(name);
  if (!versions?.length) {
    const known = [...(await listModels(ws)).keys()];
    throw new DwError("NOT_FOUND", `No registered model '${name}' in this workspace.`, {
      hint: known.length ? `Registered models: ${known.join(", ")}.` : "Register a run first with register_model.",
      details: { field: "model_id" },
    });
  }
  let version: number;
  if (slash) {
    if (!/^[1-9]\d{0,14}$/.test(slash[2])) {
      throw new DwError("INVALID_INPUT", `model_id '${cut(id)}' has a version that is not a whole number of at least 1.`, {
        hint: `model_id takes ${FORMS}.`,
        details: { field: "model_id" },
      });
    }
    version = Number(slash[2]);
    if (!versions.includes(version)) {
      throw new DwError("NOT_FOUND", `Model '${name}' has no version ${version}.`, {
        hint: `Its versions: ${versions.map((v) => `${name}/${v}`).join(", ")}.`,
        details: { field: "model_id" },
      });
    }
  } else {
    const alias = at![2];
    checkAlias(alias, "model_id");
    const served = await resolveAlias(ws, name, alias);
    if (!served) {
      const named = Object.entries(await readAliases(ws, name)).map(([a, v]) => `${name}@${a} (v${v})`);
      throw new DwError("NOT_FOUND", `${name}@${alias} serves no version.`, {
        hint: named.length
          ? `Aliases of ${name}: ${named.join(", ")}. Or name a version: ${name}/${versions[versions.length - 1]}.`
          : `Name a version: ${name}/${versions[versions.length - 1]}.`,
        details: { field: "model_id" },
      });
    }
    version = served.version;
  }
  const info = await requireVersion(ws, name, version);
  const label = `${name} v${version}`;
  const text = await ws.readText(info.commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
  if (text === null) throw new DwError("DATA_ERROR", `${label} has no model.json.`, { details: { field: "model_id" } });
  return { name, version, commit: info.commit, run_id: info.run_id, model: loadModel(text, `${label} model.json`) };
}

function cut(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
