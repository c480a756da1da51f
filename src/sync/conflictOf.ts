import type { Workspace } from "../workspace/Workspace.js";
import { describeSide } from "./describeSide.js";
import type { RefPlan } from "./planSync.js";
import type { RefConflict } from "./SyncReport.js";

/** A conflict as push and pull show it: the ref, both sides and the base read back, and why. */
export async function conflictOf(ws: Workspace, p: RefPlan): Promise<RefConflict> {
  const k = p.kind.kind;
  const [base, ours, theirs] = await Promise.all([describeSide(ws, p.base, k), describeSide(ws, p.ours, k), describeSide(ws, p.theirs, k)]);
  let why: string;
  if (p.heldBy) why = `held back with ${p.heldBy}: an alias and its deployment history move together, and one of them conflicts`;
  else if (p.decision === "renumber")
    why = `this clone registered its v${ours.version ?? "?"} and never pushed it, and the remote holds another registration under that number: pull first, which renumbers this one`;
  else if (k === "version")
    why = `the remote holds another registration under a version number this clone shared before: a version never changes, so no --take_* applies; compare both (git show ${p.ours ?? ""} ${p.theirs ?? ""}), then keep the remote's (back this one up under refs/dw-backup/, git update-ref -d ${p.ref}, pull) or put this clone's back on the remote (git push --force-with-lease), see docs/sharing.md`;
  else if (k === "alias")
    why = `moved on both sides since the last sync: here to ${ours.version !== undefined ? `v${ours.version}` : ours.oid === null ? "nothing (removed)" : ours.oid.slice(0, 10)}, on the remote to ${theirs.version !== undefined ? `v${theirs.version}` : theirs.oid === null ? "nothing (removed)" : theirs.oid.slice(0, 10)}`;
  else why = "both sides added commits since the last sync (the histories diverged)";
  return { ref: p.ref, target: p.target, kind: k, why, base, ours, theirs };
}

// Defined in resolveHint.ts (import-free, for the renderer); exported here too.
export { resolveHint } from "./resolveHint.js";
