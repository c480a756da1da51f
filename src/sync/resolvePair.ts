import git from "isomorphic-git";
import type { Workspace } from "../workspace/Workspace.js";
import { gitFs } from "../workspace/gitFs.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { deploymentRef, modelVersionRef } from "../registry/refs.js";
import { readDeploymentEntry, readRegistration, type DeploymentRecord, type UndeploymentRecord } from "../registry/readRegistry.js";
import { defaultReviewer } from "../governance/review/recordReview.js";
import type { RefPlan } from "./planSync.js";

/** What one side serves at an alias: a version with its registration commit, or nothing. */
type Served = { version: number; commit: string } | null;

/**
 * Resolves an alias and its deployment history (`model@alias`) to one side, `take`, so that both
 * clones serve what that side serves and neither history is cut. The alias takes that side's
 * value. The deployment history does too when it already holds the other side's (it is ahead, or
 * the same); otherwise (it is behind, missing, or the two diverged) a new deployment record
 * naming what the side taken serves (its version with that record's gate reports and override,
 * or an undeployment) is written on top of both histories (its parents: the newer one, or the
 * remote's then this clone's), so the history only grows: a push never sends a deletion or a
 * commit that does not descend from the remote's, and the other clone's pull fast-forwards both
 * refs instead of splitting them (dw serve trusts the record). The record is written to this
 * clone's ref and returned (null when none was needed); for a push, the chain's plan is updated
 * to send it. Call under the workspace lock.
 */
export async function resolvePair(
  ws: Workspace,
  args: { plans: RefPlan[]; take: "ours" | "theirs"; remote: ReadonlyMap<string, string>; via: "push_registry" | "pull_registry"; now: Date },
): Promise<string | null> {
  const alias = args.plans.find((p) => p.kind.kind === "alias");
  const chain = args.plans.find((p) => p.kind.kind === "chain");
  const k = (alias ?? chain)?.kind;
  if (!k || !("alias" in k) || !k.alias || !chain) return null;
  const model = "model" in k ? (k.model as string) : "";
  const [mine, other] = args.take === "ours" ? [chain.ours, chain.theirs] : [chain.theirs, chain.ours];
  if (other === null || other === mine || (mine !== null && (await descends(ws, mine, other)))) return null;

  const aliasOid = alias ? (args.take === "ours" ? alias.ours : alias.theirs) : await ws.readRef(`refs/dw/aliases/${model}/${k.alias}`).catch(() => null);
  const versionCommit = async (v: number) =>
    args.take === "ours" ? await ws.readRef(modelVersionRef(model, v)).catch(() => null) : (args.remote.get(modelVersionRef(model, v)) ?? null);
  const served = await servedBy(ws, model, mine, aliasOid, versionCommit);

  const parents = mine === null || (await descends(ws, other, mine)) ? [other] : [chain.theirs as string, chain.ours as string];
  const first = parents[0];
  const head = mine !== null ? await readDeploymentEntry(ws, mine, model) : null;
  const previous = await readDeploymentEntry(ws, first, model);
  const record: DeploymentRecord | UndeploymentRecord = served
    ? { model_name: model, alias: k.alias, version: served.version, deployed_at: args.now.toISOString() }
    : {
        model_name: model,
        alias: k.alias,
        version: null,
        undeployed_at: args.now.toISOString(),
        undeployed_by: await defaultReviewer(ws),
        undeployed_version: previous ? (previous.version ?? (previous as UndeploymentRecord).undeployed_version) : 1,
      };
  const side = args.take === "ours" ? "this clone's" : "the remote's";
  const commit = await ws.commit({
    ref: deploymentRef(model, k.alias),
    message: commitMessage(
      served
        ? `dw deploy ${model}@${k.alias} -> v${served.version} (conflict resolved: ${side})`
        : `dw undeploy ${model}@${k.alias} (conflict resolved: ${side})`,
      [
        `Both clones moved ${model}@${k.alias}; ${args.via === "push_registry" ? "dw push --take_ours" : "dw pull --take_theirs"} took ${side} side. This record names what that side serves, on top of both deployment histories.`,
      ],
      { "Dw-Model": model, "Dw-Version": served?.version, "Dw-Alias": k.alias, "Dw-Via": args.via },
    ),
    parents,
    // The gate reports and override the side taken recorded for that very version come along.
    base: served && head && head.version === served.version && mine ? mine : undefined,
    files: { "deployment.json": documentText(record) },
    now: args.now,
  });
  if (args.take === "ours") chain.ours = commit;
  return commit;
}

/** What a side serves, as dw serve resolves it: its last deployment record when it names a registration, else its alias ref. */
async function servedBy(
  ws: Workspace,
  model: string,
  chain: string | null,
  alias: string | null,
  versionCommit: (v: number) => Promise<string | null>,
): Promise<Served> {
  const entry = chain ? await readDeploymentEntry(ws, chain, model) : null;
  if (entry && entry.version === null) return null;
  if (entry) {
    const commit = await versionCommit(entry.version);
    const reg = commit ? await readRegistration(ws, commit) : null;
    if (commit && reg && reg.model_name === model && reg.version === entry.version) return { version: entry.version, commit };
  }
  const reg = alias ? await readRegistration(ws, alias) : null;
  return alias && reg && reg.model_name === model ? { version: reg.version, commit: alias } : null;
}

/** Whether `oid` has `ancestor` in its history. */
async function descends(ws: Workspace, oid: string, ancestor: string): Promise<boolean> {
  if (oid === ancestor) return true;
  try {
    return await git.isDescendent({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, oid, ancestor, depth: -1, cache: ws.gitCache });
  } catch {
    return false;
  }
}
