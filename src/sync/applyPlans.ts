import type { Workspace } from "../workspace/Workspace.js";
import { readDeploymentEntry, readRegistration } from "../registry/readRegistry.js";
import type { RefPlan } from "./planSync.js";
import type { MovedRef } from "./SyncReport.js";

/**
 * The order refs move in: versions before what names them, an alias's deployment record before
 * the alias ref (the record is the intent dw serve trusts), aliases last.
 */
export function moveOrder(p: RefPlan): number {
  if (p.kind.kind === "version") return 0;
  if (p.kind.kind === "alias") return 3;
  return p.kind.area === "deployments" ? 2 : 1;
}

/**
 * Why the remote's value of a ref may not be taken, or null when it may: a version must be a
 * registration of that model and number, an alias must name a registration of its model (or be
 * gone), a deployment history must be records of its model. Anything else came from a hand edit
 * or a hostile remote and is never written here.
 */
export async function checkTheirs(ws: Workspace, p: RefPlan): Promise<string | null> {
  const oid = p.theirs;
  if (oid === null) return null;
  const k = p.kind;
  if (k.kind === "version") {
    const reg = await readRegistration(ws, oid);
    return reg && reg.model_name === k.model && reg.version === k.version ? null : `it does not hold a registration of ${k.model} v${k.version}`;
  }
  if (k.kind === "alias") {
    const reg = await readRegistration(ws, oid);
    return reg && reg.model_name === k.model ? null : `it does not name a registration of ${k.model}`;
  }
  if (k.area === "deployments" && k.model) {
    return (await readDeploymentEntry(ws, oid, k.model)) ? null : `it does not hold a deployment record of ${k.model}`;
  }
  return (await ws.readCommit(oid).then(
    () => true,
    () => false,
  ))
    ? null
    : "it does not name a commit";
}

/** Points the local ref at the remote's value (or deletes it, for an alias the remote removed). */
export async function takeTheirs(ws: Workspace, p: RefPlan): Promise<MovedRef> {
  if (p.theirs === null) await ws.deleteRef(p.ref);
  else await ws.writeRef(p.ref, p.theirs);
  return { ref: p.ref, kind: p.kind.kind, from: p.ours, to: p.theirs };
}

/** The versions and aliases among moved refs, as the reports list them. */
export async function summarize(ws: Workspace, moved: readonly MovedRef[]): Promise<{ versions: string[]; aliases: Record<string, number | null> }> {
  const versions: string[] = [];
  const aliases: Record<string, number | null> = {};
  for (const m of moved) {
    const parts = m.ref.split("/");
    if (m.kind === "version") versions.push(`${parts[3]}/${parts[4]}`);
    if (m.kind === "alias") aliases[`${parts[3]}@${parts[4]}`] = m.to === null ? null : ((await readRegistration(ws, m.to))?.version ?? null);
  }
  return { versions, aliases };
}
