import type { Workspace } from "../workspace/Workspace.js";
import { loadModel, type LoadedModel } from "../models/scoreModel.js";
import { aliasRef, deploymentRef, modelVersionRef } from "../registry/refs.js";
import { ALIAS_RULE, MODEL_NAME_RULE, isAlias, isModelName } from "../workspace/refNames.js";
import { readAliases, readDeploymentRecord, readRegistration, resolveAlias } from "../registry/readRegistry.js";

/** What a scoring path names: a model by alias (`name@alias`) or pinned to a version (`name/3`). */
export type ModelSelector = { alias: string } | { version: number };

export interface ServedModel {
  name: string;
  version: number;
  model: LoadedModel;
}

/** Why a path cannot be served: the name is not a valid one, nothing is served there, or its model does not load. */
export type ServeRefusal = { kind: "invalid"; message: string } | { kind: "not_found" } | { kind: "broken"; detail: string };

/**
 * Resolves what the server may score, from the workspace's refs on every request (so an alias
 * that moves takes effect at once), with parsed models cached by commit. A name and an alias pass
 * the same check the tools apply before any ref is read. An alias must name a registration commit
 * of this very model whose version ref names that same commit; a pinned version is served only
 * once it has passed a deploy gate: named now by an alias (every alias move is gated) or by a past
 * deployment. Anything else, including a damaged ref, is "not found", the same answer for every
 * cause, so the answers never tell an outsider which refs or files exist.
 */
export function createServedModels(ws: Workspace, log: (line: string) => void) {
  const models = new Map<string, LoadedModel>();
  const failed = new Map<string, string>();
  const cleared = new Map<string, { key: string; versions: Set<number> }>();

  async function resolve(name: string, selector: ModelSelector): Promise<ServedModel | ServeRefusal> {
    if (!isModelName(name)) return { kind: "invalid", message: `The model name in the path is not a valid model name: use ${MODEL_NAME_RULE}.` };
    if ("alias" in selector && !isAlias(selector.alias))
      return { kind: "invalid", message: `The alias in the path is not a valid alias: an alias has ${ALIAS_RULE}.` };
    if ("version" in selector && !(Number.isSafeInteger(selector.version) && selector.version >= 1))
      return { kind: "invalid", message: "The version in the path must be a whole number from 1." };
    try {
      const ref = "alias" in selector ? aliasRef(name, selector.alias) : modelVersionRef(name, selector.version);
      let oid: string | null;
      try {
        // A deployed alias is served as its last deployment record names it (see resolveAlias).
        oid = "alias" in selector ? ((await resolveAlias(ws, name, selector.alias))?.commit ?? null) : await ws.readRef(ref);
      } catch (e) {
        return refused(ref, `cannot be read (${e instanceof Error ? e.message : String(e)})`);
      }
      if (!oid) return { kind: "not_found" };
      const reg = await readRegistration(ws, oid);
      if (!reg || reg.model_name !== name) return refused(ref, "does not name a registration of this model");
      if ("version" in selector && reg.version !== selector.version) return refused(ref, "names a registration of another version");
      if ((await ws.readRef(modelVersionRef(name, reg.version)).catch(() => null)) !== oid)
        return refused(ref, "names a commit that is not the registered version");
      if ("version" in selector && !(await clearedVersions(name)).has(reg.version)) return { kind: "not_found" };
      // A model that does not load is remembered too, so a broken (or huge) model.json is not
      // parsed, and logged, again on every request.
      const failure = failed.get(oid);
      if (failure !== undefined) return { kind: "broken", detail: failure };
      let model = models.get(oid);
      if (!model) {
        const text = await ws.readText(oid, "model.json");
        if (text === null) return refused(ref, "has no model.json");
        try {
          model = loadModel(text, `${name} v${reg.version} model.json`);
        } catch (e) {
          const detail = e instanceof Error ? e.message : String(e);
          failed.set(oid, detail);
          log(`cannot serve ${ref}: ${detail}`);
          return { kind: "broken", detail };
        }
        models.set(oid, model);
      }
      return { name, version: reg.version, model };
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      log(`cannot serve ${name}${"alias" in selector ? `@${selector.alias}` : `/${selector.version}`}: ${detail}`);
      return { kind: "broken", detail };
    }
  }

  function refused(ref: string, why: string): ServeRefusal {
    log(`not serving ${ref}: it ${why}`);
    return { kind: "not_found" };
  }

  /**
   * Versions of `name` that passed a deploy gate: those its aliases name now and those any of its
   * deployments ever named. Recomputed only when one of those refs moves.
   */
  async function clearedVersions(name: string): Promise<Set<number>> {
    const aliases = (await ws.listRefs(`refs/dw/aliases/${name}`)).filter((a) => !a.includes("/") && isAlias(a));
    const deployments = (await ws.listRefs(`refs/dw/deployments/${name}`)).filter((a) => !a.includes("/") && isAlias(a));
    const aliasOids = await Promise.all(aliases.map((a) => ws.readRef(aliasRef(name, a)).catch(() => null)));
    const deployOids = await Promise.all(deployments.map((a) => ws.readRef(deploymentRef(name, a)).catch(() => null)));
    const key = [...aliasOids, "|", ...deployOids].join(",");
    const known = cleared.get(name);
    if (known && known.key === key) return known.versions;
    // Aliases as they are served (a deployed alias by its record, not by a ref moved by hand).
    const versions = new Set<number>(Object.values(await readAliases(ws, name)));
    for (const head of deployOids) {
      const seen = new Set<string>();
      for (let oid = head; oid && !seen.has(oid); ) {
        seen.add(oid);
        const rec = await readDeploymentRecord(ws, oid, name);
        if (rec) versions.add(rec.version);
        oid = (await ws.readCommit(oid).catch(() => null))?.parents[0] ?? null;
      }
    }
    cleared.set(name, { key, versions });
    return versions;
  }

  return { resolve };
}
