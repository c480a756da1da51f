import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import { packedRefs } from "../workspace/packedRefs.js";
import { RUN_ID } from "./runId.js";

/**
 * The ids of every run in the workspace (refs/dw/runs/<run_id>, loose or packed), unordered; names
 * that are not run ids are left out. Read straight from the ref store, one directory listing and
 * the workspace's parse of packed-refs (kept while the file is unchanged), because this runs every
 * few seconds for the sidebar and a general ref listing (isomorphic-git's) takes a good part of a
 * second over a few thousand runs.
 *
 * @example
 * ```ts
 * const newest = (await listRunIds(ws)).sort().reverse().slice(0, 20);
 * ```
 */
export async function listRunIds(ws: Workspace): Promise<string[]> {
  const ids = new Set<string>();
  const loose = await readdir(join(ws.gitdir, "refs", "dw", "runs")).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT" || e.code === "ENOTDIR") return [] as string[];
    throw e;
  });
  for (const name of loose) if (RUN_ID.test(name)) ids.add(name);
  const prefix = "refs/dw/runs/";
  for (const name of packedRefs(ws.gitdir).keys()) {
    if (!name.startsWith(prefix)) continue;
    const id = name.slice(prefix.length);
    if (RUN_ID.test(id)) ids.add(id);
  }
  return [...ids];
}
