import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { checkModelName } from "../workspace/refNames.js";
import { listModels, readAliases, readVersion, type VersionInfo } from "./readRegistry.js";

/**
 * A registered model's versions, newest first (or only the one `alias` points at), with its
 * aliases and how many versions it has. A damaged version is left out. NOT_FOUND, saying what
 * there is, for a model or alias that does not exist.
 *
 * @example
 * ```ts
 * const { versions, aliases } = await listModelVersions(ws, "temp");
 * ```
 */
export async function listModelVersions(
  ws: Workspace,
  name: string,
  alias?: string,
): Promise<{ total: number; aliases: Record<string, number>; versions: VersionInfo[] }> {
  checkModelName(name);
  const models = await listModels(ws);
  const all = models.get(name);
  if (!all) {
    throw new DwError("NOT_FOUND", `No registered model named '${name}'.`, {
      hint: models.size
        ? `Registered models: ${[...models.keys()].sort().join(", ")}.`
        : "Register one first: %dw register_model --run_id run.run_id --name NAME",
      details: { field: "model_name" },
    });
  }
  const aliases = await readAliases(ws, name);
  if (alias !== undefined && !(alias in aliases)) {
    throw new DwError("NOT_FOUND", `Model '${name}' has no alias '${alias}'.`, {
      hint: Object.keys(aliases).length ? `Its aliases: ${Object.keys(aliases).join(", ")}.` : "It has no aliases yet; deploy_model sets one.",
      details: { field: "alias" },
    });
  }
  const wanted = alias !== undefined ? [aliases[alias]] : [...all].reverse();
  const versions: VersionInfo[] = [];
  for (const v of wanted) {
    const info = await readVersion(ws, name, v, aliases);
    if (info) versions.push(info);
  }
  return { total: all.length, aliases, versions };
}
