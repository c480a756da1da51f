import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import type { Workspace } from "../workspace/Workspace.js";
import type { ModelState, ModelVersionState } from "./ModelState.js";
import { listModels, readAliases, requireVersion } from "./readRegistry.js";
import { modelVersionRef } from "./refs.js";
import { exampleRow } from "../models/exampleRow.js";
import type { ModelJson } from "../models/ModelJson.js";
import { loadModel } from "../models/scoreModel.js";
import { isDwError } from "../errors/DwError.js";

/** A deployed alias as the registry records it, with what a request to it needs: the model's inputs and an example row. */
export interface DeployedAlias {
  model: string;
  alias: string;
  version: number;
  /** The model's input columns and one example row of them; absent when `error` is set. */
  example?: { columns: string[]; row: unknown[] };
  /** Set when the deployed version cannot be described (a damaged model.json): what is wrong, in a sentence. */
  error?: string;
}

/** The registry as the sidebar lists it: every model with its versions and aliases, and every deployed alias. */
export interface RegistryListing {
  models: ModelState[];
  deployed: DeployedAlias[];
}

/**
 * Reads every model, version and deployed alias of the workspace's registry.
 *
 * Each model, version and deployment is read on its own: one whose records are damaged (a hand
 * edit, a bad push, a hostile model.json) is listed with a one-sentence `error`, and all the
 * others are listed as usual. A listing must never go blank because of one bad file.
 *
 * @example
 * const { models, deployed } = await readRegistryListing(ctx.workspace);
 */
export async function readRegistryListing(ws: Workspace): Promise<RegistryListing> {
  const models: ModelState[] = [];
  for (const [name, versions] of [...(await listModels(ws))].sort(([a], [b]) => a.localeCompare(b))) {
    models.push(await readModelState(ws, name, versions));
  }
  const deployed: DeployedAlias[] = [];
  // From the deployment refs' names, each read on its own so that one damaged record fails only
  // its own endpoint; the alias, as served, says which version.
  for (const name of await ws.listRefs("refs/dw/deployments")) {
    const [model, alias, ...more] = name.split("/");
    const aliases = models.find((m) => m.name === model)?.aliases;
    if (!model || !alias || more.length > 0 || !aliases || !Object.hasOwn(aliases, alias)) continue;
    deployed.push(await readDeployedAlias(ws, model, alias, aliases[alias]));
  }
  return { models, deployed };
}

async function readModelState(ws: Workspace, name: string, versions: number[]): Promise<ModelState> {
  let aliases: Record<string, number> = {};
  let error: string | undefined;
  try {
    aliases = await readAliases(ws, name);
  } catch (e) {
    error = `The aliases of ${name} cannot be read: ${messageOf(e)}`;
  }
  const vs: ModelVersionState[] = [];
  for (const version of [...versions].reverse()) {
    try {
      const info = await requireVersion(ws, name, version, aliases);
      vs.push({
        version,
        run_id: info.run_id,
        created_at: info.registered_at,
        algorithm: info.run.algorithm,
        metrics: info.run.metrics,
        aliases: info.aliases,
      });
    } catch (e) {
      // Gone since the listing (deleted meanwhile): nothing to show.
      if (isDwError(e) && e.code === "NOT_FOUND") continue;
      const named = Object.entries(aliases)
        .filter(([, v]) => v === version)
        .map(([a]) => a)
        .sort();
      vs.push({ version, run_id: "", created_at: "", aliases: named, error: messageOf(e) });
    }
  }
  return { name, versions: vs, aliases, ...(error ? { error } : {}) };
}

async function readDeployedAlias(ws: Workspace, model: string, alias: string, version: number): Promise<DeployedAlias> {
  try {
    const json = await readModelJson(ws, model, version);
    return { model, alias, version, example: { columns: json.signature.inputs.map((f) => f.name), row: exampleRow(json) } };
  } catch (e) {
    return { model, alias, version, error: messageOf(e) };
  }
}

/** Models already loaded, by registration commit (a commit never changes): the sidebar asks every few seconds. */
const loaded = new Map<string, Promise<ModelJson>>();
const LOADED_KEPT = 64;

/** model.json of a registered version, loaded by loadModel as the server loads it before serving, so the sidebar and the server agree on what is damaged. */
async function readModelJson(ws: Workspace, name: string, version: number): Promise<ModelJson> {
  const ref = modelVersionRef(name, version);
  const commit = await ws.readRef(ref);
  if (!commit) throw new Error(`${name} v${version} has no model.json (${ref}).`);
  const key = `${ws.gitdir}\0${commit}`;
  let json = loaded.get(key);
  if (!json) {
    json = (async () => {
      const text = await ws.readText(commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
      if (text === null) throw new Error(`${name} v${version} has no model.json (${ref}).`);
      return loadModel(text, `model.json of ${name} v${version}`).json;
    })();
    if (loaded.size >= LOADED_KEPT) loaded.delete(loaded.keys().next().value!);
    loaded.set(key, json);
  }
  return json;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
