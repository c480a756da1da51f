import type { Workspace } from "../workspace/Workspace.js";
import { reviewRef } from "../governance/review/Review.js";
import { rewriteCommit } from "./rewriteCommit.js";
import { renameVersionEdit, renameVersionMessage, type Renaming } from "./renameVersionEdit.js";

/** A record history to move: its ref, what it holds now (null: nothing) and what it is to hold. */
export interface RefRewrite {
  ref: string;
  old: string | null;
  new: string | null;
}

/**
 * The record histories of `r.model` rewritten so that nothing this clone never shared names the
 * renumbered version by its old number: deployments, A/B tests and monitoring of every alias, and
 * the reviews of the old number that reviewed this very registration (they move to the new
 * number; the others stay). Only the commits after what the remote holds or held (its current
 * value and the base, `known`) are rewritten: a record the remote has names the remote's version
 * and is never touched, while a record this clone made after it can only name this clone's
 * version, since a push sends a version with what names it, all or none. Each copy keeps its
 * files (gate reports, overrides, checks), its author and its date. Nothing is written to a ref:
 * the caller writes the returned moves, in the returned order (A/B tests and monitoring before
 * the deployments they cite, so a crash between two leaves a state the next pull rewrites to the
 * same commits).
 */
export async function rewriteRecords(ws: Workspace, r: Renaming, known: (ref: string) => Promise<Set<string>>): Promise<RefRewrite[]> {
  const edit = renameVersionEdit(r);
  const message = renameVersionMessage(r);
  const moves: RefRewrite[] = [];

  // Reviews first: gate reports cite review commits.
  const fromRef = reviewRef(r.model, r.from);
  const fromHead = await ws.readRef(fromRef).catch(() => null);
  if (fromHead) {
    const mine = await unshared(ws, fromHead, await known(fromRef));
    if (mine.commits.length) {
      let moved: string | null = null;
      let kept: string | null = mine.stop;
      for (const oid of mine.commits) {
        const isOurs =
          (await ws
            .readText(oid, "review.json")
            .then(reviewOf)
            .catch(() => null)) === r.oldCommit;
        const copy = await rewriteCommit(ws, oid, {
          parents: parentsAfter(await ws.readCommit(oid), isOurs ? moved : kept, r.map),
          edit: isOurs ? edit : async () => null,
          message: isOurs ? message : (m) => m,
        });
        r.map.set(oid, copy.oid);
        if (isOurs) moved = copy.oid;
        else kept = copy.oid;
      }
      const toRef = reviewRef(r.model, r.to);
      if (moved) moves.push({ ref: toRef, old: await ws.readRef(toRef).catch(() => null), new: moved });
      if (kept !== fromHead) moves.push({ ref: fromRef, old: fromHead, new: kept });
    }
  }

  const areas = ["deployments", "abtests", "monitoring"] as const;
  const byArea = new Map<string, RefRewrite[]>();
  for (const area of areas) {
    const list: RefRewrite[] = [];
    for (const alias of (await ws.listRefs(`refs/dw/${area}/${r.model}`)).filter((a) => !a.includes("/")).sort()) {
      const ref = `refs/dw/${area}/${r.model}/${alias}`;
      const head = await ws.readRef(ref).catch(() => null);
      if (!head) continue;
      const mine = await unshared(ws, head, await known(ref));
      let prev = mine.stop;
      for (const oid of mine.commits) {
        const copy = await rewriteCommit(ws, oid, { parents: parentsAfter(await ws.readCommit(oid), prev, r.map), edit, message });
        if (copy.oid !== oid) r.map.set(oid, copy.oid);
        prev = copy.oid;
      }
      if (prev !== head) list.push({ ref, old: head, new: prev });
    }
    byArea.set(area, list);
  }
  return [...(byArea.get("abtests") ?? []), ...(byArea.get("monitoring") ?? []), ...(byArea.get("deployments") ?? []), ...moves];
}

/** The first parent replaced by `first` (null: a root), the others by their copies. */
function parentsAfter(commit: { parents: string[] }, first: string | null, map: Map<string, string>): string[] {
  return [...(first ? [first] : []), ...commit.parents.slice(1).map((p) => map.get(p) ?? p)];
}

function reviewOf(text: string | null): string | null {
  try {
    const c = text ? (JSON.parse(text) as { model_commit?: unknown }).model_commit : null;
    return typeof c === "string" ? c : null;
  } catch {
    return null;
  }
}

/**
 * The commits of a history after what is `known` (the remote's), oldest first, following first
 * parents from `head`, and the known commit they start from (null: from the root).
 */
async function unshared(ws: Workspace, head: string, known: Set<string>): Promise<{ commits: string[]; stop: string | null }> {
  const commits: string[] = [];
  const seen = new Set<string>();
  let oid: string | null = head;
  while (oid && !known.has(oid) && !seen.has(oid)) {
    seen.add(oid);
    commits.push(oid);
    oid = (await ws.readCommit(oid).catch(() => null))?.parents[0] ?? null;
  }
  return { commits: commits.reverse(), stop: oid && known.has(oid) ? oid : null };
}

/** Every commit in the histories of `heads` (all parents), for telling what the remote has. */
export async function historyOf(ws: Workspace, heads: readonly (string | null | undefined)[]): Promise<Set<string>> {
  const out = new Set<string>();
  const todo = heads.filter((h): h is string => typeof h === "string");
  while (todo.length) {
    const oid = todo.pop() as string;
    if (out.has(oid)) continue;
    const commit = await ws.readCommit(oid).catch(() => null);
    if (!commit) continue;
    out.add(oid);
    todo.push(...commit.parents);
  }
  return out;
}
