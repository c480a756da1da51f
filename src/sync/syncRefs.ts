import { createHash } from "node:crypto";
import { join } from "node:path";
import git from "isomorphic-git";
import type { Workspace } from "../workspace/Workspace.js";
import { atomicWrite } from "../workspace/atomicWrite.js";
import { gitFs } from "../workspace/gitFs.js";

/**
 * The refs sharing keeps beside refs/dw/, never pushed (a push sends refs/dw/* only):
 * - the base, what a remote held at the last sync, per remote URL: refs/dw-remotes/<key>/<kind>/…,
 *   so push and pull can tell who moved a ref (three-way, as git's remote-tracking branches do);
 * - backups, whatever a conflict's resolution or a renumbering replaced: refs/dw-backup/<stamp>/<kind>/…,
 *   so nothing is lost (git log, git show them; git update-ref -d drops one).
 */
export const BASE_PREFIX = "refs/dw-remotes";
export const BACKUP_PREFIX = "refs/dw-backup";

/** The base's folder for a remote: the hash of its URL, so a remote renamed or given by URL shares it. */
export function baseKey(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 16);
}

/** The base ref standing for `ref` (refs/dw/<rest>) of the remote with `key`. */
export function baseRef(key: string, ref: string): string {
  return `${BASE_PREFIX}/${key}/${ref.slice("refs/dw/".length)}`;
}

/** What the remote held at the last sync: refs/dw/… → object id. */
export async function readBase(ws: Workspace, key: string): Promise<Map<string, string>> {
  const prefix = `${BASE_PREFIX}/${key}`;
  const out = new Map<string, string>();
  for (const rest of await ws.listRefs(prefix)) {
    const oid = await git.resolveRef({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, ref: `${prefix}/${rest}`, depth: 1 }).catch(() => null);
    if (oid && /^[0-9a-f]{40}$/.test(oid)) out.set(`refs/dw/${rest}`, oid);
  }
  return out;
}

/** Sets (or, with null, drops) the base of `ref`; written by rename, as the workspace writes refs. Call under the lock. */
export async function writeBase(ws: Workspace, key: string, ref: string, oid: string | null): Promise<void> {
  const name = baseRef(key, ref);
  if (oid === null) await git.deleteRef({ fs: gitFs, dir: ws.root, gitdir: ws.gitdir, ref: name });
  else await atomicWrite(join(ws.gitdir, name), `${oid}\n`, { tmpDir: join(ws.gitdir, "dw-tmp") });
}

/** A stamp for one sync's backups: its time, sortable, with a random tail so two syncs never share it. */
export function backupStamp(now: Date): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${createHash("sha256").update(`${Math.random()}${process.pid}`).digest("hex").slice(0, 6)}`;
}

/** Keeps `oid`, which `ref` held before a resolution replaced it, under a backup ref; returns the backup's name. */
export async function writeBackup(ws: Workspace, stamp: string, ref: string, oid: string): Promise<string> {
  const name = `${BACKUP_PREFIX}/${stamp}/${ref.slice("refs/dw/".length)}`;
  await atomicWrite(join(ws.gitdir, name), `${oid}\n`, { tmpDir: join(ws.gitdir, "dw-tmp") });
  return name;
}
