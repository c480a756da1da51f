import { DwError } from "../errors/DwError.js";

/** Refs one push or pull plans at most when DW_SYNC_MAX_REFS is not set. */
export const DEFAULT_MAX_SYNC_REFS = 200_000;

/**
 * The most refs under refs/dw/ one push or pull plans (the remote's, this clone's and the base's
 * together): `DW_SYNC_MAX_REFS` from `env`, else 200,000. Planning reads every such ref and walks
 * chains to compare them, so a remote advertising millions (a mistake, or hostile) is refused
 * before anything is fetched, instead of taking the machine's memory and an hour.
 *
 * @example
 * maxSyncRefs({ DW_SYNC_MAX_REFS: "500000" }); // 500000
 */
export function maxSyncRefs(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.DW_SYNC_MAX_REFS?.trim();
  if (!given) return DEFAULT_MAX_SYNC_REFS;
  if (!/^[1-9][0-9]{0,8}$/.test(given)) {
    throw new DwError("CONFIG_ERROR", `DW_SYNC_MAX_REFS is '${given.slice(0, 40)}', not a whole number of refs from 1 to 999999999.`, {
      hint: `Set it to the most refs under refs/dw/ one push or pull may plan (default ${DEFAULT_MAX_SYNC_REFS}), or unset it.`,
      details: { setting: "DW_SYNC_MAX_REFS" },
    });
  }
  return Number(given);
}

/** CONFLICT-free refusal of an exchange over the limit: what, where, how many and what to do. */
export function checkRefCount(count: number, where: string): void {
  const limit = maxSyncRefs();
  if (count <= limit) return;
  throw new DwError(
    "DATA_ERROR",
    `${where} holds ${count} refs under refs/dw/, more than dw plans in one push or pull (${limit}); nothing was fetched or moved.`,
    {
      hint: `Check that this remote is the team's registry (git remote -v, git ls-remote <remote> 'refs/dw/*' | wc -l). If it really holds that many, raise the limit: DW_SYNC_MAX_REFS=${Math.min(999_999_999, count * 2)}.`,
      details: { refs: count, limit, setting: "DW_SYNC_MAX_REFS" },
    },
  );
}
