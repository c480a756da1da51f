import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import { statSync } from "node:fs";
import { join } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import { loadModel, scoreModel, type LoadedModel } from "../models/scoreModel.js";
import { exampleRow } from "../models/exampleRow.js";
import { aliasRef, deploymentRef, modelVersionRef } from "../registry/refs.js";
import { ALIAS_RULE, MODEL_NAME_RULE, isAlias, isModelName } from "../workspace/refNames.js";
import { readAliases, readDeploymentRecord, readRegistration, resolveAlias } from "../registry/readRegistry.js";
import { abTestArmVersions, servableAbTest } from "../monitoring/abtest/readAbTest.js";
import { armForKey, cumulativeShares } from "../monitoring/abtest/armForKey.js";
import { abTestRef } from "../monitoring/abtest/AbTest.js";

/** What a scoring path names: a model by alias (`name@alias`) or pinned to a version (`name/3`). */
export type ModelSelector = { alias: string } | { version: number };

export interface ServedModel {
  name: string;
  version: number;
  model: LoadedModel;
}

/** An alias whose traffic an A/B test splits: every arm loaded and warmed, and the cumulative shares of their weights. */
interface ServedArms {
  arms: ServedModel[];
  cumulative: Float64Array;
  salt: string;
}

/** Why a path cannot be served: the name is not a valid one, nothing is served there, or its model does not load. */
export type ServeRefusal = { kind: "invalid"; message: string } | { kind: "not_found" } | { kind: "broken"; detail: string };

/** The registration commit a path names, found from the refs, before its model is loaded. */
interface Located {
  name: string;
  version: number;
  commit: string;
  ref: string;
}

/** The registration commits an alias with a running A/B test names: one per arm, with its weight. */
interface LocatedArms {
  arms: Located[];
  weights: number[];
  salt: string;
}

type Served = ServedModel | ServedArms;

/** What a path resolved to, and the state of the ref files it was resolved from. */
interface Resolution {
  stamp: string;
  result: Served | ServeRefusal;
}

const isServed = (r: Served | ServeRefusal): r is Served => "model" in r || "arms" in r;
/** The versions a resolution serves, in order: one, or an A/B test's arms. */
const versionsOf = (r: Served | ServeRefusal): number[] => ("model" in r ? [r.version] : "arms" in r ? r.arms.map((a) => a.version) : []);
const commitsOf = (t: Located | LocatedArms): string[] => ("arms" in t ? t.arms.map((a) => a.commit) : [t.commit]);

/** Most paths remembered as not served (a flood of made-up names must not grow memory without bound). */
const MAX_REFUSALS = 1024;

/**
 * Resolves what the server may score, from the workspace's refs, with parsed models cached by
 * commit. A name and an alias pass the same check the tools apply before any ref is read. An alias
 * must name a registration commit of this very model whose version ref names that same commit; a
 * pinned version is served only once it has passed a deploy gate: named now by an alias (every
 * alias move is gated) or by a past deployment. Anything else, including a damaged ref, is "not
 * found", the same answer for every cause, so the answers never tell an outsider which refs or
 * files exist.
 *
 * Speed: a path's resolution is kept while the ref files it depends on are unchanged, so a request
 * costs a few stat calls rather than reading and parsing refs and documents. Every ref write in dw
 * is a rename (atomicWrite) or an unlink, so a moved ref shows as a changed inode, size or time of
 * its file, or of its directory for a version's cleared status. A path whose refs moved is
 * resolved again at once (one resolution however many requests arrive meanwhile). Hot swap: when
 * the refs name a model not loaded yet, the version serving until now keeps answering while the
 * new one is loaded and scored once (warmed), so a move never makes a request wait for a load or
 * fail; a model that does not load never replaces the one serving (the failure is logged).
 *
 * A/B tests: an alias with a running test (src/monitoring/abtest/readAbTest.ts: on the alias's
 * last deployment, each arm a registered version that passed the deploy gate for that alias)
 * resolves to all its arms, and each request is answered by one arm, chosen from the weights by a
 * hash of the assignment key (armForKey: the same key, the same arm, while the weights are
 * unchanged; no key, a random arm). The test's ref file is part of the alias's stamp, and every
 * arm is loaded and warmed before the split takes traffic (the version serving until then answers
 * meanwhile), as for any move. An arm's version, having passed the gate, is served pinned too.
 */
export function createServedModels(ws: Workspace, log: (line: string) => void) {
  const models = new Map<string, LoadedModel>();
  const failed = new Map<string, string>();
  const loading = new Map<string, Promise<void>>();
  const cleared = new Map<string, { key: string; versions: Set<number> }>();
  // Why an alias's test was refused, last logged, so a refused test is logged once, not per resolution.
  const abRefused = new Map<string, string>();
  const cache = new Map<string, Resolution>();
  let refusals = 0;
  const pending = new Map<string, Promise<Served | ServeRefusal>>();

  const refFile = (...parts: string[]) => join(ws.gitdir, "refs", "dw", ...parts);
  const packedRefs = join(ws.gitdir, "packed-refs");
  const fileStamp = (path: string): string => {
    const st = statSync(path, { throwIfNoEntry: false, bigint: true });
    return st ? `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : "-";
  };
  /** The ref files (and, for a pinned version, the directories of aliases and deployments) a path's answer depends on. */
  function stampOf(name: string, selector: ModelSelector, versions: number[]): string {
    return selectorStamp(name, selector) + versionStamps(name, versions);
  }
  /** The part of a stamp that decides which version a path names. */
  function selectorStamp(name: string, selector: ModelSelector): string {
    const [a, b, c] =
      "alias" in selector
        ? [refFile("aliases", name, selector.alias), refFile("deployments", name, selector.alias), refFile("abtests", name, selector.alias)]
        : [refFile("aliases", name), refFile("deployments", name), refFile("abtests", name)];
    return `${fileStamp(a)}|${fileStamp(b)}|${fileStamp(c)}|${fileStamp(packedRefs)}|`;
  }
  /** The part that checks those versions' refs (rewritten only by a push). */
  function versionStamps(name: string, versions: number[]): string {
    let out = "";
    for (const v of versions) out += `${fileStamp(refFile("models", name, String(v)))};`;
    return out;
  }

  /**
   * The model that answers a request to `name` at `selector`. `key` is the request's assignment key
   * (the client's X-Dw-Ab-Key, else its request id): on an alias with a running A/B test it picks
   * the arm (the same key, the same arm); elsewhere it is not used.
   */
  async function resolve(name: string, selector: ModelSelector, key?: string): Promise<ServedModel | ServeRefusal> {
    const r = await resolveEntry(name, selector);
    return "arms" in r ? r.arms[armForKey(r.cumulative, r.salt, key)] : r;
  }

  async function resolveEntry(name: string, selector: ModelSelector): Promise<Served | ServeRefusal> {
    if (!isModelName(name)) return { kind: "invalid", message: `The model name in the path is not a valid model name: use ${MODEL_NAME_RULE}.` };
    if ("alias" in selector && !isAlias(selector.alias))
      return { kind: "invalid", message: `The alias in the path is not a valid alias: an alias has ${ALIAS_RULE}.` };
    if ("version" in selector && !(Number.isSafeInteger(selector.version) && selector.version >= 1))
      return { kind: "invalid", message: "The version in the path must be a whole number from 1." };
    const key = "alias" in selector ? `${name}@${selector.alias}` : `${name}/${selector.version}`;
    const known = cache.get(key);
    if (known && stampOf(name, selector, versionsOf(known.result)) === known.stamp) return known.result;
    let p = pending.get(key);
    if (!p) {
      p = refresh(key, name, selector, known).finally(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  }

  /** Resolves a path again from the refs and records the answer with the stamp it was read under. */
  async function refresh(key: string, name: string, selector: ModelSelector, known: Resolution | undefined): Promise<Served | ServeRefusal> {
    // Stamped before the refs are read: a write that lands during the read changes the stamp again,
    // so the next request resolves once more rather than keeping a stale answer.
    const guess = known && isServed(known.result) ? versionsOf(known.result) : "version" in selector ? [selector.version] : [];
    // Only the version refs of versions not guessed are stamped after the read: the refs that decide
    // which versions are named are always stamped before them.
    const before = selectorStamp(name, selector);
    let stamp = before + versionStamps(name, guess);
    const located = await locate(name, selector);
    if (!("commit" in located || "arms" in located)) return remember(key, stamp, located);
    const named = "arms" in located ? located.arms.map((a) => a.version) : [located.version];
    if (named.join() !== guess.join()) stamp = before + versionStamps(name, named);
    const serving = known && isServed(known.result) ? known.result : null;
    if (serving && commitsOf(located).some((c) => !models.has(c) && !failed.has(c))) {
      // Hot swap: the version serving now answers until the new one has loaded and warmed.
      // It is remembered under the new stamp meanwhile, so requests keep the fast path.
      remember(key, stamp, serving);
      loadAll(located).then(() => {
        const result = served(located);
        if (isServed(result) && cache.get(key)?.stamp === stamp) remember(key, stamp, result);
      });
      return serving;
    }
    await loadAll(located);
    const result = served(located);
    // A model that fails to load never replaces the one serving.
    return remember(key, stamp, isServed(result) || !serving ? result : serving);
  }

  function remember(key: string, stamp: string, result: Served | ServeRefusal): Served | ServeRefusal {
    if (!isServed(result) && !cache.has(key)) {
      if (refusals >= MAX_REFUSALS) {
        for (const [k, r] of cache) if (!isServed(r.result)) cache.delete(k);
        refusals = 0;
      }
      refusals++;
    }
    cache.set(key, { stamp, result });
    return result;
  }

  /** What located names, once loaded: the model, or every arm (an arm that did not load: the split is refused as a whole). */
  function served(located: Located | LocatedArms): Served | ServeRefusal {
    if (!("arms" in located)) return servedOne(located);
    const arms: ServedModel[] = [];
    for (const arm of located.arms) {
      const one = servedOne(arm);
      if (!("model" in one)) return one;
      arms.push(one);
    }
    return { arms, cumulative: cumulativeShares(located.weights), salt: located.salt };
  }

  function servedOne(located: Located): ServedModel | ServeRefusal {
    const model = models.get(located.commit);
    if (model) return { name: located.name, version: located.version, model };
    return { kind: "broken", detail: failed.get(located.commit) ?? "not loaded" };
  }

  async function loadAll(located: Located | LocatedArms): Promise<void> {
    await Promise.all("arms" in located ? located.arms.map(loadVersion) : [loadVersion(located)]);
  }

  /** Loads and warms a version's model once per commit; a failure is remembered (and logged once), not retried per request. */
  function loadVersion(located: Located): Promise<void> {
    if (models.has(located.commit) || failed.has(located.commit)) return Promise.resolve();
    let busy = loading.get(located.commit);
    if (!busy) {
      busy = loadOnce(located).finally(() => loading.delete(located.commit));
      loading.set(located.commit, busy);
    }
    return busy;
  }

  async function loadOnce(located: Located): Promise<void> {
    try {
      const text = await ws.readText(located.commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
      if (text === null) throw new Error("it has no model.json");
      const model = loadModel(text, `${located.name} v${located.version} model.json`);
      // Warm: the first request it answers should not be the first time its code runs.
      scoreModel(model, { columns: model.json.signature.inputs.map((f) => f.name), rows: [exampleRow(model.json)] });
      models.set(located.commit, model);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      failed.set(located.commit, detail);
      log(`cannot serve ${located.ref}: ${detail}`);
    }
  }

  /** The registration commit a path names (an alias with a running A/B test: each arm's), by the rules above, or why none is served. */
  async function locate(name: string, selector: ModelSelector): Promise<Located | LocatedArms | ServeRefusal> {
    const one = await locateOne(name, selector);
    if (!("commit" in one) || !("alias" in selector)) return one;
    try {
      const { test, reason } = await servableAbTest(ws, name, selector.alias);
      const label = `${name}@${selector.alias}`;
      if (reason && abRefused.get(label) !== reason) log(`not splitting ${label} by its A/B test: it ${reason}`);
      if (reason) abRefused.set(label, reason);
      else abRefused.delete(label);
      if (!test) return one;
      return {
        arms: test.arms.map((a) => ({ name, version: a.version, commit: a.commit, ref: modelVersionRef(name, a.version) })),
        weights: test.arms.map((a) => a.weight),
        salt: test.test.assignment_seed ?? `${label} ${test.test.started_at}`,
      };
    } catch (e) {
      // A test that cannot be read splits nothing: the alias keeps its deployed version.
      log(`not splitting ${name}@${selector.alias} by its A/B test: ${e instanceof Error ? e.message : String(e)}`);
      return one;
    }
  }

  async function locateOne(name: string, selector: ModelSelector): Promise<Located | ServeRefusal> {
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
      return { name, version: reg.version, commit: oid, ref };
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
   * Versions of `name` that passed a deploy gate: those its aliases name now, those any of its
   * deployments ever named, and the arms of its A/B tests (each gated for its alias when set).
   * Recomputed only when one of those refs moves.
   */
  async function clearedVersions(name: string): Promise<Set<number>> {
    const aliases = (await ws.listRefs(`refs/dw/aliases/${name}`)).filter((a) => !a.includes("/") && isAlias(a));
    const deployments = (await ws.listRefs(`refs/dw/deployments/${name}`)).filter((a) => !a.includes("/") && isAlias(a));
    const aliasOids = await Promise.all(aliases.map((a) => ws.readRef(aliasRef(name, a)).catch(() => null)));
    const deployOids = await Promise.all(deployments.map((a) => ws.readRef(deploymentRef(name, a)).catch(() => null)));
    const abAliases = (await ws.listRefs(`refs/dw/abtests/${name}`)).filter((a) => !a.includes("/") && isAlias(a)).sort();
    const abOids = await Promise.all(abAliases.map((a) => ws.readRef(abTestRef(name, a)).catch(() => null)));
    const key = [...aliasOids, "|", ...deployOids, "|", ...abOids].join(",");
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
    for (const v of (await abTestArmVersions(ws, name)).versions) versions.add(v);
    cleared.set(name, { key, versions });
    return versions;
  }

  /** The versions of a model that may be served at their pinned paths (they passed a deploy gate), in order. */
  async function servedVersions(name: string): Promise<number[]> {
    if (!isModelName(name)) return [];
    return [...(await clearedVersions(name))].sort((a, b) => a - b);
  }

  return { resolve, servedVersions };
}
