import { rename, unlink, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import { cachePath, hashFile } from "../dataCache.js";

/**
 * A temp file beside where `sha256` goes in the local cache (same folder, so the final rename is
 * atomic), for a download to write into.
 */
export async function localTempFile(ws: Workspace, sha256: string): Promise<string> {
  const target = cachePath(ws, sha256);
  await mkdir(dirname(target), { recursive: true });
  return `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
}

/**
 * Moves a fetched temp file into the local cache once its content hashes to `sha256`; otherwise
 * deletes it and throws a DATA_ERROR naming the shared cache and the damaged entry. Two clones (or
 * processes) fetching the same file at once both rename identical content into place: harmless.
 */
export async function installFetched(ws: Workspace, sha256: string, tmp: string, source: { location: string; entry: string }): Promise<void> {
  let actual: string;
  try {
    actual = await hashFile(tmp);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  if (actual !== sha256) {
    await unlink(tmp).catch(() => undefined);
    throw new DwError(
      "DATA_ERROR",
      `The shared cache at ${source.location} holds a damaged file for sha256 ${sha256.slice(0, 12)}: its content hashes to ${actual.slice(0, 12)}, so it was not installed in .dw/cache.`,
      {
        hint: `Delete ${source.entry} from the shared cache, then push the file again from a clone that has it (dw push), or load the data again with load_dataset.`,
        details: { sha256, actual_sha256: actual, shared_cache: source.location, entry: source.entry },
      },
    );
  }
  try {
    await rename(tmp, cachePath(ws, sha256));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
