import type { Workspace } from "../workspace/Workspace.js";
import type { GitTransport } from "../gitRemote/GitTransport.js";
import { dwRefKind, type DwRefKind } from "./dwRefKind.js";
import { decideRef, type Decision } from "./decideRef.js";
import { readBase } from "./syncRefs.js";
import { checkRefCount } from "./maxSyncRefs.js";
import { caseCollisions, prefixes } from "./caseCollisions.js";

/** One ref's three values and what to do with it. */
export interface RefPlan {
  ref: string;
  kind: DwRefKind;
  base: string | null;
  ours: string | null;
  theirs: string | null;
  decision: Decision;
  /** What --take_* names to resolve it: model@alias for an alias and its deployment history, else the ref. */
  target: string;
  /** Set when the ref was held back because its partner (alias ↔ deployments) conflicts. */
  heldBy?: string;
}

/** The remote's refs/dw/* whose names dw writes, and those it refuses, with why. */
export interface RemoteRefs {
  refs: Map<string, string>;
  refused: { ref: string; reason: string }[];
  /** This clone's refs (and folders) a refused remote ref differs from only in case: a push does not send them either. */
  caseClashes: Set<string>;
}

/**
 * Lists the remote's refs/dw/*, refuses names dw does not write (and names that equal one of this
 * clone's but for case: one file on macOS and Windows), and brings the objects of the rest into
 * this clone (no ref moves): both push and pull need them, to tell which side is ahead. More refs
 * than DW_SYNC_MAX_REFS is an error before anything is fetched.
 */
export async function readRemote(transport: GitTransport, ws?: Workspace): Promise<RemoteRefs> {
  const listed = await transport.listRefs("refs/dw/");
  checkRefCount(listed.size, `The remote ${transport.remote}`);
  const refs = new Map<string, string>();
  const refused: { ref: string; reason: string }[] = [];
  for (const [ref, oid] of listed) {
    const k = dwRefKind(ref);
    if ("refused" in k) refused.push({ ref: ref.slice(0, 300), reason: k.refused });
    else refs.set(ref, oid);
  }
  const caseClashes = new Set<string>();
  const local = ws ? [...(await readLocalRefs(ws)).keys()] : [];
  const localPrefixes = new Set(local.flatMap(prefixes));
  for (const [ref, other] of caseCollisions(local, refs.keys())) {
    refs.delete(ref);
    if (localPrefixes.has(other)) caseClashes.add(other);
    refused.push({
      ref,
      reason: `it differs from ${other} only in case; on macOS and Windows the two are one file, so it is not taken (rename one of them, e.g. register or log under another name, and push again)`,
    });
  }
  await transport.fetch([...new Set(refs.values())]);
  return { refs, refused, caseClashes };
}

/** This clone's refs/dw/* that dw writes: ref → object id. */
export async function readLocalRefs(ws: Workspace): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rest of await ws.listRefs("refs/dw")) {
    const ref = `refs/dw/${rest}`;
    if ("refused" in dwRefKind(ref)) continue;
    const oid = await ws.readRef(ref).catch(() => null);
    if (oid) out.set(ref, oid);
  }
  return out;
}

/**
 * The plan for every ref either side or the base holds, in a stable order. An alias and its
 * deployment history (refs/dw/aliases/m/a, refs/dw/deployments/m/a) move together: dw serve
 * reconciles the two at start (the record wins), so if either conflicts, neither moves.
 * Call under the workspace lock.
 */
export async function planSync(ws: Workspace, key: string, remote: Map<string, string>): Promise<RefPlan[]> {
  const local = await readLocalRefs(ws);
  const base = await readBase(ws, key);
  const names = [...new Set([...local.keys(), ...remote.keys(), ...base.keys()])].sort();
  checkRefCount(names.length, "This clone, the remote and the last sync together");
  const plans: RefPlan[] = [];
  for (const ref of names) {
    const kind = dwRefKind(ref);
    if ("refused" in kind) continue;
    const [b, o, t] = [base.get(ref) ?? null, local.get(ref) ?? null, remote.get(ref) ?? null];
    const paired = kind.kind === "alias" || (kind.kind === "chain" && kind.area === "deployments");
    const target = paired && "alias" in kind ? `${kind.model}@${kind.alias}` : ref;
    plans.push({ ref, kind, base: b, ours: o, theirs: t, decision: await decideRef(ws, kind, b, o, t), target });
  }
  const conflicted = new Set(plans.filter((p) => p.decision === "conflict" && p.target !== p.ref).map((p) => p.target));
  for (const p of plans) {
    if (conflicted.has(p.target) && (p.decision === "ours" || p.decision === "theirs")) {
      p.heldBy = p.target;
      p.decision = "conflict";
    }
  }
  return plans;
}
