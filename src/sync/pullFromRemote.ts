import type { DomainContext } from "../workspace/DomainContext.js";
import type { GitTransport } from "../gitRemote/GitTransport.js";
import { openTransport } from "../gitRemote/openTransport.js";
import { openSharedCache } from "../data/sharedCache/openSharedCache.js";
import { listModels } from "../registry/readRegistry.js";
import { planSync, readRemote, type RefPlan } from "./planSync.js";
import { backupStamp, baseKey, writeBackup, writeBase } from "./syncRefs.js";
import { renumberVersion } from "./renumberVersion.js";
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
  const { refs: remote, refused } = await readRemote(transport);
  const shared = await openSharedCache(ws);
  const take = new Set(args.takeTheirs ?? []);
  if (take.size) checkTargets([...take], await ws.withLock(() => planSync(ws, key, remote)), transport.remote, "take_theirs");
  const now = ctx.now();
  const stamp = backupStamp(now);

  return ws.withLock(async () => {
    let plans = await planSync(ws, key, remote);
    const renumbered: Renumbered[] = [];
    const renumbers = plans.filter((p) => p.decision === "renumber");
    if (renumbers.length) {
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
        const highest = Math.max(0, ...(local.get(model) ?? []), ...versionsOf(remote, model));
        const to = Math.max(next.get(model) ?? 0, highest + 1);
        renumbered.push(await renumberVersion(ws, { model, from: p.kind.version, to, oid: p.ours, remote: transport.remote, stamp, now }));
        next.set(model, to + 1);
      }
      plans = await planSync(ws, key, remote);
    }

    const moved: MovedRef[] = [];
    const resolved: SyncReport["resolved"] = [];
    const conflicts: RefPlan[] = [];
    const refusedRefs = new Set(refused.map((r) => r.ref));
    for (const p of [...plans].sort((a, b) => moveOrder(a) - moveOrder(b))) {
      const wanted = p.decision === "theirs" || (p.decision === "conflict" && take.has(p.target));
      if (p.decision === "conflict" && !wanted) conflicts.push(p);
      if (!wanted) continue;
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

    const taken = moved.filter((m) => m.to !== null && (m.kind === "version" || m.ref.startsWith("refs/dw/runs/")));
    const missing = await missingRunData(
      ws,
      shared,
      await Promise.all(
        taken.map(async (m) => ({
          oid: m.to as string,
          runId: m.kind === "version" ? ((await ws.readText(m.to as string, "run.json").then(runIdOf)) ?? "") : m.ref.slice("refs/dw/runs/".length),
        })),
      ),
    );
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
      data: { shared_cache: shared?.location ?? null, uploaded: [], staying_local: [], missing },
    };
  });
}

function versionsOf(remote: Map<string, string>, model: string): number[] {
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
