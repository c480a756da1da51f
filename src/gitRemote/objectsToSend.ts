import { DwError } from "../errors/DwError.js";
import { CommitQueue } from "./CommitQueue.js";
import { type TreeEntry, isGitlinkMode, isTreeMode, parseCommit, parseTree, readGitObject } from "./readGitObject.js";

interface Commit {
  oid: string;
  time: number;
  parents: string[];
  tree: string;
}

/**
 * The objects a remote lacks for `tips`: every commit reachable from them that is not reachable
 * from `remoteTips` (the remote's refs whose commits are here), with their trees and blobs except
 * those a parent commit already holds at the same path.
 *
 * Commits: one walk newest first from both sides at once, as git's rev-list does, marking what
 * the remote's tips reach and stopping as soon as only such commits are left to visit; so it reads
 * the commits being sent and about as many of the remote's, not their whole history. A commit the
 * walk could not prove to be on the remote (clock skew between clones) is sent again: never less
 * than needed. Trees: each sent commit's tree is compared with its parents' trees, entry by entry,
 * and only what differs is walked further, each tree and blob once; a parent is either sent too or
 * on the remote, so whatever they share is already there or on its way. Linear in what is sent.
 */
export async function objectsToSend(gitdir: string, tips: readonly string[], remoteTips: readonly string[]): Promise<string[]> {
  const cache = {};
  const commits = new Map<string, Commit | null>();
  const read = async (oid: string): Promise<Commit | null> => {
    if (commits.has(oid)) return commits.get(oid)!;
    const object = await readGitObject(gitdir, oid, cache);
    const commit = object?.type === "commit" ? { oid, ...parseCommit(object.content, oid) } : null;
    commits.set(oid, commit);
    return commit;
  };

  const onRemote = new Set<string>();
  const seen = new Set<string>();
  const sent: Commit[] = [];
  const queue = new CommitQueue<Commit>();
  const queued = new Set<string>();
  // Queued commits not (yet) known to be on the remote: the walk ends when none is left.
  let interesting = 0;
  const enqueue = (c: Commit) => {
    queue.push(c);
    queued.add(c.oid);
    if (!onRemote.has(c.oid)) interesting++;
  };
  const markOnRemote = (c: Commit) => {
    if (onRemote.has(c.oid)) return;
    onRemote.add(c.oid);
    if (queued.has(c.oid)) interesting--;
    else enqueue(c);
  };
  for (const oid of remoteTips) {
    const c = await read(oid);
    if (c) markOnRemote(c);
  }
  for (const oid of tips) {
    const c = await read(oid);
    if (!c) {
      throw new DwError("INVALID_INPUT", `The commit ${oid} to push is not in this repository.`, {
        hint: "Push only refs whose commits are here: list them with git for-each-ref refs/dw.",
        details: { oid },
      });
    }
    if (!seen.has(oid) && !onRemote.has(oid)) {
      seen.add(oid);
      enqueue(c);
    }
  }
  while (interesting > 0) {
    const c = queue.pop()!;
    queued.delete(c.oid);
    const remote = onRemote.has(c.oid);
    if (!remote) {
      interesting--;
      sent.push(c);
    }
    for (const parent of c.parents) {
      const p = await read(parent);
      if (!p) {
        // Only the remote's side may reach a commit this repository lacks (a shallow or partial clone's edge).
        if (remote) continue;
        throw new DwError("DATA_ERROR", `The commit ${parent}, a parent of ${c.oid}, is not in this repository, so the push cannot send it.`, {
          hint: "Fetch from the remote first (dw pull), or check the repository with git fsck.",
          details: { commit: c.oid, parent },
        });
      }
      if (remote) markOnRemote(p);
      else if (!seen.has(parent) && !onRemote.has(parent)) {
        seen.add(parent);
        enqueue(p);
      }
    }
  }

  const objects: string[] = [];
  const walked = new Set<string>();
  const readTree = async (oid: string): Promise<TreeEntry[]> => {
    const object = await readGitObject(gitdir, oid, cache);
    if (object?.type !== "tree") throw new Error(`the tree ${oid} is not in the repository`);
    return parseTree(object.content, oid);
  };
  /** Adds `tree` and what in it differs from every one of `bases` (the same tree's place in the parents). */
  const walkTree = async (tree: string, bases: string[]): Promise<void> => {
    if (walked.has(tree) || bases.includes(tree)) return;
    walked.add(tree);
    objects.push(tree);
    const baseEntries: Map<string, TreeEntry>[] = [];
    for (const b of bases) baseEntries.push(new Map((await readTree(b)).map((e) => [e.name, e])));
    for (const entry of await readTree(tree)) {
      if (isGitlinkMode(entry.mode)) continue;
      const there = baseEntries.map((m) => m.get(entry.name)).filter((e) => e !== undefined);
      if (there.some((e) => e.oid === entry.oid)) continue;
      if (isTreeMode(entry.mode)) {
        const subBases = there.filter((e) => isTreeMode(e.mode)).map((e) => e.oid);
        await walkTree(entry.oid, subBases);
      } else if (!walked.has(entry.oid)) {
        walked.add(entry.oid);
        objects.push(entry.oid);
      }
    }
  };
  for (const c of sent) {
    if (onRemote.has(c.oid)) continue;
    objects.push(c.oid);
    const parentTrees: string[] = [];
    for (const parent of c.parents) parentTrees.push((await read(parent))!.tree);
    await walkTree(c.tree, parentTrees);
  }
  return objects;
}
