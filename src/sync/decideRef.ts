import git from "isomorphic-git";
import type { Workspace } from "../workspace/Workspace.js";
import { gitFs } from "../workspace/gitFs.js";
import type { DwRefKind } from "./dwRefKind.js";

/**
 * What to do with one ref, from the three values (base: what the remote held at the last sync):
 * - same: both sides hold it;
 * - ours: only this clone moved it (or made it): a push sends it, a pull leaves it;
 * - theirs: only the remote moved it: a pull takes it, a push leaves it;
 * - conflict: both moved it, differently (a chain that diverged, an alias moved on both sides, a
 *   version number holding two registrations);
 * - renumber: a version number this clone gave to a registration it never pushed, which the
 *   remote holds another registration under: a pull renumbers ours, a push is refused.
 */
export type Decision = "same" | "ours" | "theirs" | "conflict" | "renumber";

export async function decideRef(ws: Workspace, kind: DwRefKind, base: string | null, ours: string | null, theirs: string | null): Promise<Decision> {
  if (ours === theirs) return "same";
  switch (kind.kind) {
    case "alias":
      if (theirs === base) return "ours";
      if (ours === base) return "theirs";
      return "conflict";
    case "version":
      if (theirs === null) return "ours";
      if (ours === null) return "theirs";
      return ours === base ? "conflict" : "renumber";
    case "chain":
      // Chains only grow: a side that lacks the ref, or whose commit the other descends from, is behind.
      if (theirs === null) return "ours";
      if (ours === null) return "theirs";
      if (await descends(ws, ours, theirs)) return "ours";
      if (await descends(ws, theirs, ours)) return "theirs";
      return "conflict";
  }
}

/** Whether `oid` has `ancestor` in its history (both objects present here). */
async function descends(ws: Workspace, oid: string, ancestor: string): Promise<boolean> {
  try {
    return await git.isDescendent({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, oid, ancestor, depth: -1, cache: ws.gitCache });
  } catch {
    return false;
  }
}
