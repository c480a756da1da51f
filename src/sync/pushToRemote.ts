import type { DomainContext } from "../workspace/DomainContext.js";
import type { GitTransport, RefUpdate } from "../gitRemote/GitTransport.js";
import { openTransport } from "../gitRemote/openTransport.js";
import { openSharedCache } from "../data/sharedCache/openSharedCache.js";
import { DwError } from "../errors/DwError.js";
import { planSync, readRemote, type RefPlan } from "./planSync.js";
import { backupStamp, baseKey, writeBackup, writeBase } from "./syncRefs.js";
import { moveOrder, summarize } from "./applyPlans.js";
import { conflictOf, resolveHint } from "./conflictOf.js";
import { uploadRunData } from "./syncData.js";
import { checkTargets } from "./checkTargets.js";
import { resolvePair } from "./resolvePair.js";
import { foldOwnMetrics } from "../runs/metricsWriter.js";
import { prefixes } from "./caseCollisions.js";
import type { MovedRef, SyncReport } from "./SyncReport.js";

/**
 * Sends this clone's refs/dw/* that only it moved to the remote, all or none: each update applies
 * only if the remote still holds what was read there. Before anything is sent, a conflict (both
 * sides moved a ref, or a version number this clone never shared that the remote has given to
 * another registration) is a CONFLICT error listing every conflicting ref with both sides and
 * the base, unless named in `takeOurs` (the remote's value is then kept here under a backup ref
 * and replaced there). The data of the runs sent goes to the shared cache when one is configured.
 *
 * @example
 * ```ts
 * const r = await pushToRemote(ctx, { remote: "origin" });
 * r.moved.length; r.data.uploaded;
 * ```
 */
export async function pushToRemote(ctx: DomainContext, args: { remote: string; takeOurs?: readonly string[]; transport?: GitTransport }): Promise<SyncReport> {
  const ws = ctx.workspace;
  // Points log_metrics appended but not yet committed (a kernel folds at idle; a killed process
  // leaves its file) are committed first, so the push carries every point a reader here sees.
  await foldOwnMetrics(ws);
  const transport = args.transport ?? (await openTransport(ws, args.remote, { signal: ctx.signal }));
  const key = baseKey(transport.url);
  const { refs: remote, refused, caseClashes } = await readRemote(transport, ws);
  const take = new Set(args.takeOurs ?? []);
  const stamp = backupStamp(ctx.now());

  const plans = await ws.withLock(() => planSync(ws, key, remote));
  if (take.size) checkTargets([...take], plans, transport.remote, "take_ours");
  const blocking = plans.filter((p) => p.decision === "renumber" || (p.decision === "conflict" && !take.has(p.target)));
  if (blocking.length) {
    const conflicts = await Promise.all(blocking.map((p) => conflictOf(ws, p)));
    const targets = [...new Set(conflicts.map((c) => c.target))];
    const renumber = blocking.some((p) => p.decision === "renumber");
    throw new DwError(
      "CONFLICT",
      `Nothing was pushed to ${transport.remote}: ${conflicts.length} ref${conflicts.length === 1 ? "" : "s"} moved both here and there since the last sync (${targets.slice(0, 10).join(", ")}${targets.length > 10 ? ", …" : ""}).`,
      {
        hint: renumber
          ? `Pull first (dw pull ${transport.remote}): it takes the remote's versions and renumbers this clone's unshared ones above them; then push again.`
          : `Pull first (dw pull ${transport.remote}) to take what does not conflict and see each conflict; then resolve: ${resolveHint(transport.remote, targets)}`,
        details: { remote: transport.remote, conflicts },
      },
    );
  }

  // A ref differing only in case from one the remote holds is not sent: on macOS and Windows the two are one file.
  const clashes = (ref: string) => prefixes(ref).some((c) => caseClashes.has(c));
  // (An alias and its deployment history stay together: neither is sent.)
  const held = new Set(caseClashes.size ? plans.filter((p) => clashes(p.ref)).map((p) => p.target) : []);
  const sending = plans.filter((p) => (p.decision === "ours" || p.decision === "conflict") && !held.has(p.target)).sort((a, b) => moveOrder(a) - moveOrder(b));
  const resolved: SyncReport["resolved"] = [];
  if (sending.some((p) => p.decision === "conflict")) {
    await ws.withLock(async () => {
      // An alias with its deployment history: the history gets a record on top of the remote's, never a rewind.
      const kept = new Set<string>();
      for (const target of take) {
        const pair = sending.filter((p) => p.target === target && p.target !== p.ref);
        if (pair.length && (await resolvePair(ws, { plans: pair, take: "ours", remote, via: "push_registry", now: ctx.now() }))) {
          for (const p of pair) if (p.kind.kind === "chain") kept.add(p.ref);
        }
      }
      for (const p of sending.filter((q) => q.decision === "conflict")) {
        const backups = p.theirs === null || kept.has(p.ref) ? [] : [await writeBackup(ws, stamp, p.ref, p.theirs)];
        const entry = resolved.find((r) => r.target === p.target);
        if (entry) entry.backups.push(...backups);
        else resolved.push({ target: p.target, took: "ours", backups });
      }
    });
  }

  const shared = await openSharedCache(ws, process.env, { signal: ctx.signal });
  const dataCommits = sending.filter((p) => p.ours !== null && (p.kind.kind === "version" || p.ref.startsWith("refs/dw/runs/"))).map((p) => p.ours as string);
  const { uploaded, stayingLocal } = await uploadRunData(ws, shared, dataCommits);

  const updates: RefUpdate[] = sending.map((p) => ({ ref: p.ref, old: p.theirs, new: p.ours }));
  const results = await transport.push(updates);
  const applied = new Set(results.filter((r) => r.ok).map((r) => r.ref));
  await ws.withLock(async () => {
    for (const p of plans) {
      const now = applied.has(p.ref) ? p.ours : p.decision === "same" ? p.theirs : undefined;
      if (now !== undefined && now !== p.base) await writeBase(ws, key, p.ref, now);
    }
  });
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    throw new DwError(
      "CONFLICT",
      `${transport.remote} changed while pushing: ${failed.length} of ${updates.length} update${updates.length === 1 ? "" : "s"} refused${applied.size ? ` (${applied.size} applied: the remote does not take pushes all or none)` : ", nothing applied"}.`,
      {
        hint: `Pull (dw pull ${transport.remote}), then push again.`,
        details: { remote: transport.remote, refused: failed.slice(0, 100) },
      },
    );
  }

  const moved: MovedRef[] = sending.map((p: RefPlan) => ({ ref: p.ref, kind: p.kind.kind, from: p.theirs, to: p.ours }));
  return {
    remote: transport.remote,
    url: transport.url,
    moved,
    ...(await summarize(ws, moved)),
    renumbered: [],
    conflicts: [],
    resolved,
    waiting: plans.filter((p) => p.decision === "theirs").map((p) => p.ref),
    refused,
    up_to_date: plans.filter((p) => p.decision === "same").length,
    data: { shared_cache: shared?.location ?? null, uploaded, staying_local: stayingLocal, missing: [] },
  };
}
