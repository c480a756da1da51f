import { stat } from "node:fs/promises";
import type { Workspace } from "../workspace/Workspace.js";
import { cachePath } from "../data/dataCache.js";
import type { SharedCache } from "../data/sharedCache/SharedCache.js";
import { DataManifest } from "../runs/RunRecord.js";
import { commitAuthor } from "./describeSide.js";

const SHA256 = /^[0-9a-f]{64}$/;

/** The data file a run commit (or a registration, which holds the run's tree) was trained on, by hash. */
async function runData(ws: Workspace, oid: string): Promise<{ dataset_id: string; sha256: string } | null> {
  const manifest = await ws.readDocument(DataManifest, oid, "data/manifest.json").catch(() => null);
  return manifest && SHA256.test(manifest.sha256) ? { dataset_id: manifest.dataset_id, sha256: manifest.sha256 } : null;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Push: the data of the runs and versions being sent goes to the shared cache when one is
 * configured (a file already there is not sent again); without one, or when this clone's cache
 * lacks the file, it is named as staying local, never an error.
 */
export async function uploadRunData(ws: Workspace, shared: SharedCache | null, commits: readonly string[]) {
  const uploaded: string[] = [];
  const stayingLocal: { dataset_id: string; sha256: string }[] = [];
  const seen = new Set<string>();
  for (const oid of commits) {
    const d = await runData(ws, oid);
    if (!d || seen.has(d.sha256)) continue;
    seen.add(d.sha256);
    const file = cachePath(ws, d.sha256);
    if (shared && (await shared.has(d.sha256))) continue;
    if (shared && (await isFile(file))) {
      await shared.put(d.sha256, file);
      uploaded.push(d.sha256);
    } else stayingLocal.push(d);
  }
  return { uploaded, stayingLocal };
}

/**
 * Pull: for each run or version commit that a pull may take, the data it was trained on when that
 * is neither in this clone's cache nor in the shared cache, with who pushed it (the commit's
 * author, whose clone has it); commits whose data is here or shared are left out. Each file is
 * looked for once. It asks the shared cache over the network, so a pull calls it before it takes
 * the workspace lock. Nothing is fetched: a tool that reads the data fetches it on demand.
 */
export async function missingRunData(ws: Workspace, shared: SharedCache | null, commits: readonly { oid: string; runId: string }[]) {
  const missing = new Map<string, { dataset_id: string; sha256: string; run_id: string; pushed_by: string }>();
  const there = new Map<string, boolean>();
  for (const { oid, runId } of commits) {
    const d = await runData(ws, oid);
    if (!d) continue;
    let found = there.get(d.sha256);
    if (found === undefined) {
      found = (await isFile(cachePath(ws, d.sha256))) || (shared !== null && (await shared.has(d.sha256)));
      there.set(d.sha256, found);
    }
    if (!found) missing.set(oid, { ...d, run_id: runId, pushed_by: await commitAuthor(ws, oid) });
  }
  return missing;
}
