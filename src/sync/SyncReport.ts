import { z } from "zod";

/** One side of a ref in a conflict: what it holds and, read from it, what a person recognises. */
export const RefSide = z.object({
  oid: z.string().nullable().describe("The commit the ref holds on this side; null: it has none."),
  version: z.number().int().optional().describe("For a version or an alias: the version it is (or names)."),
  run_id: z.string().optional().describe("For a version or an alias: the run the version was registered from."),
  subject: z.string().optional().describe("The commit's subject line (the newest commit of a chain)."),
  by: z.string().optional().describe("Who made the commit (its author), e.g. who registered the version or moved the alias."),
  at: z.string().optional().describe("When (ISO 8601)."),
});
export type RefSide = z.infer<typeof RefSide>;

export const RefConflict = z.object({
  ref: z.string(),
  target: z.string().describe("What to name in --take_theirs / --take_ours to resolve it: the ref, or model@alias for an alias and its deployment history."),
  kind: z.enum(["chain", "version", "alias"]),
  why: z.string(),
  base: RefSide.describe("What the remote held at the last sync."),
  ours: RefSide,
  theirs: RefSide,
});
export type RefConflict = z.infer<typeof RefConflict>;

export const MovedRef = z.object({
  ref: z.string(),
  kind: z.enum(["chain", "version", "alias"]),
  from: z.string().nullable().describe("The commit the ref held before (on the side that moved); null: it was new."),
  to: z.string().nullable().describe("The commit it holds now; null: it was deleted (an undeployed alias)."),
});
export type MovedRef = z.infer<typeof MovedRef>;

export const Renumbered = z.object({
  model_name: z.string(),
  from: z.number().int().describe("The number this clone had given the version; the remote had another version under it."),
  to: z.number().int().describe("Its number now: the next free above both sides."),
  commit: z.string().describe("The new registration commit (the same run and tree; registration.json says the new number)."),
  backup: z.string().describe("The ref that keeps the old registration commit."),
  aliases: z.array(z.string()).describe("This clone's aliases of the model moved to the new number."),
  deployments: z.array(z.string()).describe("This clone's deployments recorded again with the new number."),
});
export type Renumbered = z.infer<typeof Renumbered>;

export const MissingData = z.object({
  dataset_id: z.string(),
  sha256: z.string(),
  run_id: z.string(),
  pushed_by: z.string().describe("Who made the run commit: the clone that has the data."),
});

export const SyncData = z.object({
  shared_cache: z.string().nullable().describe("The shared data cache configured (git config dw.cache or DW_SHARED_CACHE); null: none."),
  uploaded: z.array(z.string()).describe("Push: data files (sha256) copied to the shared cache."),
  staying_local: z
    .array(z.object({ dataset_id: z.string(), sha256: z.string() }))
    .describe("Push: data files only this clone holds (no shared cache, or the file is not in the local cache)."),
  missing: z.array(MissingData).describe("Pull: data of the pulled runs that is neither in the local cache nor in the shared cache."),
});

/** What push_registry and pull_registry report: what moved, what did not and why, and the data. */
export const SyncReport = z.object({
  remote: z.string(),
  url: z.string().describe("The remote's URL (without any credential)."),
  moved: z.array(MovedRef).describe("Refs that moved (pull: here; push: on the remote)."),
  versions: z.array(z.string()).describe("Model versions that moved, as name/version."),
  aliases: z.record(z.string(), z.number().int().nullable()).describe("Aliases that moved, model@alias → the version they name now (null: gone)."),
  renumbered: z.array(Renumbered),
  conflicts: z.array(RefConflict).describe("Refs left as they are on both sides: both moved. Resolve with --take_theirs (pull) or --take_ours (push)."),
  resolved: z
    .array(z.object({ target: z.string(), took: z.enum(["ours", "theirs"]), backups: z.array(z.string()) }))
    .describe("Conflicts resolved by --take_*: the refs keeping what was replaced."),
  waiting: z.array(z.string()).describe("Refs that moved on the other side only: push leaves them for a pull; pull leaves this clone's new refs for a push."),
  refused: z.array(z.object({ ref: z.string(), reason: z.string() })).describe("Remote refs dw does not read: a name or a commit that is not one dw writes."),
  up_to_date: z.number().int().describe("Refs already the same on both sides."),
  data: SyncData,
});
export type SyncReport = z.infer<typeof SyncReport>;
