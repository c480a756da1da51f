import type { Workspace } from "../workspace/Workspace.js";
import { listModels, readVersion } from "./readRegistry.js";

/**
 * A version registered from this run (of `modelName` only, when given): the last one in name and
 * version order, or undefined when the run was never registered. Damaged versions are skipped.
 *
 * @example
 * ```ts
 * const existing = await findRunVersion(ws, run.run_id); // { name: "temp", version: 3 }
 * ```
 */
export async function findRunVersion(ws: Workspace, runId: string, modelName?: string): Promise<{ name: string; version: number } | undefined> {
  let found: { name: string; version: number } | undefined;
  for (const [name, versions] of await listModels(ws)) {
    if (modelName !== undefined && name !== modelName) continue;
    for (const v of versions) {
      const info = await readVersion(ws, name, v);
      if (info?.run_id === runId) found = { name, version: v };
    }
  }
  return found;
}
