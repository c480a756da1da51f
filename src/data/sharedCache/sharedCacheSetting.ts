import fs from "node:fs";
import git from "isomorphic-git";
import type { Workspace } from "../../workspace/Workspace.js";

/** A setting dw reads for the shared cache: its value and where it came from, for messages and hints. */
export interface SharedCacheSetting {
  value: string;
  /** `DW_SHARED_CACHE` or `git config dw.cache`, as a user would type it to change the value. */
  source: string;
}

/**
 * A shared-cache setting of this clone: the environment variable when set (an empty value turns the
 * shared cache off for this process), else the git config key of the clone (`.git/config`), else
 * null. Only the clone's own config is read: each clone says which team cache it uses.
 */
export async function sharedCacheSetting(ws: Workspace, key: string, envName: string | null, env: NodeJS.ProcessEnv): Promise<SharedCacheSetting | null> {
  if (envName && env[envName] !== undefined) {
    const value = env[envName].trim();
    return value ? { value, source: envName } : null;
  }
  let value: unknown;
  try {
    value = await git.getConfig({ fs, dir: ws.root, gitdir: ws.gitdir, path: key });
  } catch {
    return null;
  }
  return typeof value === "string" && value.trim() ? { value: value.trim(), source: `git config ${key}` } : null;
}
