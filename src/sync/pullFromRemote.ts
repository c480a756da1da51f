import type { DomainContext } from "../workspace/DomainContext.js";
import type { Workspace } from "../workspace/Workspace.js";
import type { GitTransport } from "../gitRemote/GitTransport.js";
import { openTransport } from "../gitRemote/openTransport.js";
import { openSharedCache } from "../data/sharedCache/openSharedCache.js";
import { listModels } from "../registry/readRegistry.js";
import { planSync, readLocalRefs, readRemote, type RefPlan } from "./planSync.js";
import { backupStamp, baseKey, writeBackup, writeBase } from "./syncRefs.js";
import { findRenumberedCopy, renumberVersion } from "./renumberVersion.js";
import { historyOf } from "./rewriteRecords.js";
import { resolvePair } from "./resolvePair.js";
import { checkTheirs, moveOrder, summarize, takeTheirs } from "./applyPlans.js";
import { conflictOf } from "./conflictOf.js";
import { missingRunData } from "./syncData.js";
import { checkTargets } from "./checkTargets.js";
import type { MovedRef, Renumbered, SyncReport } from "./SyncReport.js";

/**
 * Takes what the remote has that this clone does not: every ref/dw/* only the remote moved
 * (fast-forwards of chains, new versions, aliases moved there), after renumbering this clone's
 * unshared versions whose numbers the remote has given to others. What both sides moved is left
 * as it is and returned as a conflict with both sides, unless named in `takeTheirs`, which takes
 * the remote's and keeps this clone's under a backup ref. Never an error for a conflict or for
 * missing data: both are in the report.
 *
 * The network work (listing and fetching the remote, asking the shared cache for the data of what
 * may be taken) comes before the workspace lock; under it, the pull only reads the local refs
 * again, decides and writes.
 *
 * @example
 * ```ts
 * const r = await pullFromRemote(ctx, { remote: "origin" });
 * r.versions; // ["temp/3"]
 * r.conflicts; // []
 * ```
 */
export async function pullFromRemote(
  ctx: DomainContext,
  args: { remote: string; takeTheirs?: readonly string[]; transport?: GitTransport },
): Promise<SyncReport> {
  const ws = ctx.workspace;
  const transport = args.transport ?? (await openTransport(ws, args.remote, { signal: ctx.signal }));
  const key = baseKey(transport.url);
  const { refs: remote, refused } = await readRemote(transport, ws);
  const shared = await openSharedCache(ws, process.env, { signal: ctx.signal });
  const take = new Set(args.takeTheirs ?? []);
  const missingData = await missingRunData(ws, shared, await dataCandidates(ws, remote));
  const now = ctx.now();
  const stamp = backupStamp(now);

  const done = await ws.withLock(async () => {
    let plans = await planSync(ws, key, remote);
    if (take.size) checkTargets([...take], plans, transport.remote, "take_theirs");
    const renumbered: Renumbered[] = [];
    const renumbers = plans.filter((p) => p.decision === "renumber");
    if (renumbers.length) {
      const byRef = new Map(plans.map((p) => [p.ref, p]));
      const known = async (ref: string) => historyOf(ws, [byRef.get(ref)?.base, byRef.get(ref)?.theirs]);
      const local = await listModels(ws);
      const next = new Map<string, number>();
      for (const p of renumbers) {
        if (p.kind.kind !== "version" || p.ours === null) continue;
        const why = await checkTheirs(ws, p);
        if (why) {
          refused.push({ ref: p.ref, reason: why });
          continue;
        }
        const model = p.kind.model;
        const copy = await findRenumberedCopy(ws, model, p.ours, await copyCandidates(ws, model, remote, p.kind.version));
        const highest = Math.max(0, ...(local.get(model) ?? []), ...versionsOf(remote, model));
        const to = Math.max(next.get(model) ?? 0, highest + 1);
        const r = await renumberVersion(ws, {
          model,
          from: p.kind.version,
          to,
          oid: p.ours,
          copy: copy ?? undefined,
          remote: transport.remote,
          stamp,
          now,
          known,
        });
        renumbered.push(r);
        next.set(model, Math.max(next.get(model) ?? 0, r.to + 1));
      }
      plans = await planSync(ws, key, remote);
    }

    // An alias and its deployment history taken together: a new record on top when this clone's history is not behind.
    const records = new Map<string, string>();
    for (const target of take) {
      const pair = plans.filter((p) => p.target === target && p.target !== p.ref);
      const record = pair.length ? await resolvePair(ws, { plans: pair, take: "theirs", remote, via: "pull_registry", now }) : null;
      const chain = pair.find((p) => p.kind.kind === "chain");
      if (record && chain) records.set(chain.ref, record);
    }

    const moved: MovedRef[] = [];
    const resolved: SyncReport["resolved"] = [];
    const conflicts: RefPlan[] = [];
    const refusedRefs = new Set(refused.map((r) => r.ref));
    for (const p of [...plans].sort((a, b) => moveOrder(a) - moveOrder(b))) {
      const wanted = p.decision === "theirs" || (p.decision === "conflict" && take.has(p.target));
      if (p.decision === "conflict" && !wanted) conflicts.push(p);
      if (!wanted) continue;
      const record = records.get(p.ref);
      if (record) {
        // Nothing of this clone's is replaced: the record descends from both histories.
        const entry = resolved.find((r) => r.target === p.target);
        if (!entry) resolved.push({ target: p.target, took: "theirs", backups: [] });
        moved.push({ ref: p.ref, kind: p.kind.kind, from: p.ours, to: record });
        continue;
      }
      const why = await checkTheirs(ws, p);
      if (why) {
        refused.push({ ref: p.ref, reason: why });
        refusedRefs.add(p.ref);
        continue;
      }
      if (p.decision === "conflict") {
        const backups = p.ours === null ? [] : [await writeBackup(ws, stamp, p.ref, p.ours)];
        const entry = resolved.find((r) => r.target === p.target);
        if (entry) entry.backups.push(...backups);
        else resolved.push({ target: p.target, took: "theirs", backups });
      }
      moved.push(await takeTheirs(ws, p));
    }

    const conflicted = new Set(conflicts.map((p) => p.ref));
    for (const p of plans) {
      if (conflicted.has(p.ref) || refusedRefs.has(p.ref) || p.base === p.theirs) continue;
      await writeBase(ws, key, p.ref, p.theirs);
    }
    return { plans, moved, resolved, conflicts, renumbered };
  });

  const { plans, moved, resolved, conflicts, renumbered } = done;
  const missing = new Map<string, SyncReport["data"]["missing"][number]>();
  for (const m of moved) {
    const d = m.to !== null && (m.kind === "version" || m.ref.startsWith("refs/dw/runs/")) ? missingData.get(m.to) : undefined;
    if (d && !missing.has(d.sha256)) missing.set(d.sha256, d);
  }
  return {
    remote: transport.remote,
    url: transport.url,
    moved,
    ...(await summarize(ws, moved)),
    renumbered,
    conflicts: await Promise.all(conflicts.map((p) => conflictOf(ws, p))),
    resolved,
    waiting: plans.filter((p) => p.decision === "ours").map((p) => p.ref),
    refused,
    up_to_date: plans.filter((p) => p.decision === "same").length,
    data: { shared_cache: shared?.location ?? null, uploaded: [], staying_local: [], missing: [...missing.values()] },
  };
}

/** The run and version commits of the remote this clone does not hold at those refs: what a pull may take, with their runs. */
async function dataCandidates(ws: Workspace, remote: ReadonlyMap<string, string>): Promise<{ oid: string; runId: string }[]> {
  const local = await readLocalRefs(ws);
  const out: { oid: string; runId: string }[] = [];
  for (const [ref, oid] of remote) {
    if (local.get(ref) === oid) continue;
    if (ref.startsWith("refs/dw/runs/")) out.push({ oid, runId: ref.slice("refs/dw/runs/".length) });
    else if (ref.startsWith("refs/dw/models/")) out.push({ oid, runId: (await ws.readText(oid, "run.json").then(runIdOf, () => null)) ?? "" });
  }
  return out;
}

/**
 * Where an interrupted renumbering of a version may have put its copy: this clone's other versions
 * of the model, and the remote's that this clone does not hold differently (version → commit).
 */
async function copyCandidates(ws: Workspace, model: string, remote: ReadonlyMap<string, string>, from: number): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const ref of await ws.listRefs(`refs/dw/models/${model}`)) {
    const v = Number(ref);
    const oid = /^[1-9][0-9]*$/.test(ref) && v !== from ? await ws.readRef(`refs/dw/models/${model}/${ref}`).catch(() => null) : null;
    if (oid) out.set(v, oid);
  }
  for (const v of versionsOf(remote, model)) {
    const oid = remote.get(`refs/dw/models/${model}/${v}`);
    if (oid && v !== from && !out.has(v)) out.set(v, oid);
  }
  return out;
}

function versionsOf(remote: ReadonlyMap<string, string>, model: string): number[] {
  const prefix = `refs/dw/models/${model}/`;
  return [...remote.keys()].filter((r) => r.startsWith(prefix)).map((r) => Number(r.slice(prefix.length)));
}

function runIdOf(text: string | null): string | null {
  try {
    const id = text ? (JSON.parse(text) as { run_id?: unknown }).run_id : null;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}
