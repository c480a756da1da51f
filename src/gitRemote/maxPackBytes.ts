import { DwError } from "../errors/DwError.js";

/** The largest pack dw takes from a remote by default, in MB (1 MB = 1,000,000 bytes). */
export const DEFAULT_MAX_PACK_MB = 256;

/**
 * The largest pack a fetch over HTTP takes, in bytes: `DW_GIT_MAX_PACK_MB` from `env`, else
 * DEFAULT_MAX_PACK_MB. The bound exists because isomorphic-git's indexPack reads the whole pack
 * into memory and inflates its objects beside it (a 300 MB pack peaked at 1.1 GB of RSS, some
 * 3.6 times its size), so a hostile or mistaken remote could otherwise fill the memory and the
 * disk. dw's refs hold records and small files (the data stays in the caches), so 256 MB is a
 * registry of many thousands of runs and versions. A value that is not a positive whole number is
 * a CONFIG_ERROR.
 *
 * @example
 * maxPackBytes({ DW_GIT_MAX_PACK_MB: "1024" }); // 1_024_000_000
 */
export function maxPackBytes(env: NodeJS.ProcessEnv): number {
  const given = env.DW_GIT_MAX_PACK_MB?.trim();
  if (given === undefined || given === "") return DEFAULT_MAX_PACK_MB * 1_000_000;
  if (!/^[1-9][0-9]{0,6}$/.test(given))
    throw new DwError("CONFIG_ERROR", `DW_GIT_MAX_PACK_MB is '${given.slice(0, 40)}', not a whole number of megabytes from 1 to 9999999.`, {
      hint: `Set it to the largest pack dw may fetch, in MB (default ${DEFAULT_MAX_PACK_MB}), or unset it.`,
      details: { setting: "DW_GIT_MAX_PACK_MB" },
    });
  return Number(given) * 1_000_000;
}

/** The error for a remote whose pack (or answer around it) passed `maxBytes`: names the remote, the limit and how to raise it. */
export function packTooLargeError(where: string, maxBytes: number): DwError {
  const mb = Math.round(maxBytes / 1_000_000);
  return new DwError(
    "DATA_ERROR",
    `The git remote ${where} sent more than ${mb} MB for one fetch, dw's limit for a pack (DW_GIT_MAX_PACK_MB); nothing was kept.`,
    {
      hint: `If the registry is really that large, raise the limit (DW_GIT_MAX_PACK_MB=${mb * 4}; indexing takes some 4 times the pack's size in memory), or use the remote's ssh:// or file URL, which your git fetches without this limit. Otherwise check the URL (git remote -v): this remote may not be the team's registry.`,
      details: { remote: where, limit_bytes: maxBytes, setting: "DW_GIT_MAX_PACK_MB" },
    },
  );
}
