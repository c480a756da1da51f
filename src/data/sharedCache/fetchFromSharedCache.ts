import type { Workspace } from "../../workspace/Workspace.js";
import { DwError, isDwError } from "../../errors/DwError.js";

/**
 * The on-demand fetch behind every read of a cached file: a file missing from `.dw/cache` is
 * copied in from the team's shared cache when this clone has one. `location` says which shared
 * cache was tried (null: none is configured), so the caller's not-cached error can say so.
 * A shared cache that fails (unreachable, refused, damaged entry) throws its own error, prefixed
 * with what was being read. `signal` (the caller's interrupt) stops the fetch (INTERRUPTED).
 */
export async function fetchFromSharedCache(
  ws: Workspace,
  sha256: string,
  what: string,
  signal?: AbortSignal,
): Promise<{ fetched: boolean; location: string | null }> {
  try {
    // Imported here: its S3 and directory clients load only when a file is missing (see readCachedDataset).
    const { openSharedCache } = await import("./openSharedCache.js");
    const shared = await openSharedCache(ws, process.env, { signal });
    if (!shared) return { fetched: false, location: null };
    return { fetched: await shared.get(sha256), location: shared.location };
  } catch (e) {
    if (!isDwError(e)) throw e;
    throw new DwError(
      e.code,
      `The data of ${what} (sha256 ${sha256.slice(0, 12)}) is not in .dw/cache, and fetching it from the shared cache failed: ${e.message}`,
      {
        hint: e.hint,
        details: { ...e.details, sha256 },
      },
    );
  }
}
