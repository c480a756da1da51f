import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import type { SharedCache } from "./SharedCache.js";
import { sharedCacheSetting } from "./sharedCacheSetting.js";
import { createDirectoryCache } from "./createDirectoryCache.js";
import { createS3Cache } from "./createS3Cache.js";
import { s3Settings } from "./s3Settings.js";

/**
 * The team's shared data cache this clone is configured with, or null when none is: env
 * `DW_SHARED_CACHE`, else the clone's `git config dw.cache`, holding a folder (absolute, relative
 * to the workspace root, or a `file://` URL) or an S3-compatible `s3://bucket/prefix` (endpoint,
 * region and credentials from the standard AWS_* variables: see `s3Settings`).
 * A value that is neither is a CONFIG_ERROR naming where it was set. `options.signal` (the
 * caller's interrupt) stops a transfer under way with an INTERRUPTED error.
 *
 * @example
 * // git config dw.cache /mnt/team/dw-cache
 * const shared = await openSharedCache(ws);
 * if (shared && !(await shared.get(sha256))) console.log(`not in ${shared.location} either`);
 */
export async function openSharedCache(
  ws: Workspace,
  env: NodeJS.ProcessEnv = process.env,
  options: { signal?: AbortSignal } = {},
): Promise<SharedCache | null> {
  const setting = await sharedCacheSetting(ws, "dw.cache", "DW_SHARED_CACHE", env);
  if (!setting) return null;
  const { value, source } = setting;
  if (/^file:\/\//i.test(value)) {
    let dir: string;
    try {
      dir = fileURLToPath(value);
    } catch {
      throw badSetting(value, source);
    }
    return createDirectoryCache(ws, dir, source, options);
  }
  if (/^s3:\/\//i.test(value)) return createS3Cache(ws, await s3Settings(ws, setting, env), { signal: options.signal });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw badSetting(value, source);
  return createDirectoryCache(ws, resolve(ws.root, value), source, options);
}

function badSetting(value: string, source: string): DwError {
  // Only the scheme is shown: a URL may carry a credential.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1] ?? "";
  return new DwError(
    "CONFIG_ERROR",
    `${source} holds a ${scheme ? `${scheme}: URL` : "value"} that is not a folder or an s3:// URL, so dw cannot use it as the shared data cache.`,
    {
      hint: "Set it to a folder every clone can reach (git config dw.cache /mnt/team/dw-cache) or to an S3-compatible bucket (git config dw.cache s3://bucket/prefix); see docs/shared-cache.md.",
      details: { setting: source },
    },
  );
}
