import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { checkAlias, checkModelName } from "../workspace/refNames.js";
import { listModels, requireVersion, resolveAlias } from "../registry/readRegistry.js";

/** A registered version named by `name@alias` or `name/version`, its run, and the run of the version before it. */
export interface ModelRun {
  model: string;
  version: number;
  alias?: string;
  run_id: string;
  /** The newest registered version below this one (null for the first): what its code is diffed against. */
  previous: { version: number; run_id: string } | null;
}

/** `name@alias` or `name/version`: the forms a model reference takes. */
export const MODEL_REF = /^([^@/\s]+)(?:@([^@/\s]+)|\/([^@/\s]+))$/;

/**
 * The run a model reference names: `name@alias` is the version the alias serves (as dw serve
 * resolves it), `name/version` that version; and the run of the previous registered version of the
 * same model. A malformed reference is INVALID_INPUT, a model, alias or version that is not there
 * NOT_FOUND naming what is; each names `field`. Only reads.
 *
 * @example
 * ```ts
 * const m = await resolveModelRun(ws, "temp@production");
 * m.run_id; m.previous?.run_id;
 * ```
 */
export async function resolveModelRun(ws: Workspace, ref: string, field = "model_id"): Promise<ModelRun> {
  const m = MODEL_REF.exec(ref.trim());
  if (!m) {
    throw new DwError("INVALID_INPUT", `'${cut(ref)}' is not a model reference.`, {
      hint: "Use name@alias (the version the alias serves) or name/version, e.g. temp@production or temp/3.",
      details: { field },
    });
  }
  const [, name, alias, versionText] = m;
  checkModelName(name, field);
  const models = await listModels(ws);
  const versions = models.get(name);
  if (!versions) {
    const known = [...models.keys()].sort();
    throw new DwError("NOT_FOUND", `No registered model '${name}' in this workspace.`, {
      hint: known.length ? `Registered models: ${known.slice(0, 20).join(", ")}.` : "Register a run first with register_model.",
      details: { field },
    });
  }
  let version: number;
  if (alias !== undefined) {
    checkAlias(alias, field);
    const served = await resolveAlias(ws, name, alias);
    if (!served) {
      throw new DwError("NOT_FOUND", `${name}@${alias} names no version.`, {
        hint: `See the aliases with: %dw get_model_versions ${name}`,
        details: { field },
      });
    }
    version = served.version;
  } else {
    version = /^[1-9]\d{0,14}$/.test(versionText) ? Number(versionText) : Number.NaN;
    if (!versions.includes(version)) {
      throw new DwError("NOT_FOUND", `Model '${name}' has no version ${cut(versionText)}.`, {
        hint: `Its versions: ${versions.join(", ")}.`,
        details: { field },
      });
    }
  }
  const info = await requireVersion(ws, name, version);
  const before = versions.filter((v) => v < version).at(-1);
  const previous = before === undefined ? null : { version: before, run_id: (await requireVersion(ws, name, before)).run_id };
  return { model: name, version, ...(alias !== undefined ? { alias } : {}), run_id: info.run_id, previous };
}

const cut = (s: string) => (s.length > 120 ? `${s.slice(0, 100)}…` : s);
