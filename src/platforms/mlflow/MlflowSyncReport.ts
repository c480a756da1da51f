import { z } from "zod";

// What `dw mlflow sync` did, per kind of object: the tool's output schema, defined once here.

export const SyncedRun = z.object({
  run_id: z.string().describe("The dw run id (tag dw.run_id on the MLflow run)."),
  mlflow_run_id: z.string().describe("MLflow's run id."),
  experiment: z.string().describe("The MLflow experiment the run is in."),
});
export type SyncedRun = z.infer<typeof SyncedRun>;

export const SyncedVersion = z.object({
  model_name: z.string(),
  version: z.number().int().describe("dw's version number (tag dw.version on the MLflow version)."),
  mlflow_version: z.string().describe("MLflow's number for the same version, which may differ from dw's."),
});
export type SyncedVersion = z.infer<typeof SyncedVersion>;

export const SyncedAlias = z.object({
  model_name: z.string(),
  alias: z.string(),
  version: z.number().int().describe("The dw version the alias names."),
  mlflow_version: z.string().describe("The MLflow version the alias now names (the one tagged with that dw version)."),
});
export type SyncedAlias = z.infer<typeof SyncedAlias>;

function outcome<T extends z.ZodType>(item: T) {
  return z.object({
    created: z.array(item).describe("Not in MLflow before this sync."),
    updated: z.array(item).describe("In MLflow, changed by this sync (new metrics, a moved alias, an unfinished earlier sync completed)."),
    unchanged: z.array(item).describe("Already as in dw; nothing sent."),
  });
}

export const RunOutcome = outcome(SyncedRun);
export const VersionOutcome = outcome(SyncedVersion);
export const AliasOutcome = outcome(SyncedAlias);

export const SyncProblem = z.object({
  kind: z.enum(["experiment", "run", "model", "version", "alias"]),
  item: z.string().describe("What could not be synced: an experiment name, a run id, a model name, name/version or name@alias."),
  code: z.string().describe("MLflow's error code (e.g. INVALID_PARAMETER_VALUE) or dw's (e.g. DATA_ERROR, CONFLICT)."),
  message: z.string(),
  hint: z.string().optional(),
});
export type SyncProblem = z.infer<typeof SyncProblem>;

export const MlflowSyncReport = z.object({
  url: z.string().describe("The tracking server synced to."),
  runs: RunOutcome,
  versions: VersionOutcome,
  aliases: AliasOutcome,
  errors: z.array(SyncProblem).describe("Items not synced, each with why; everything else was. Run the sync again once fixed: it finishes the work."),
});
export type MlflowSyncReport = z.infer<typeof MlflowSyncReport>;

/** An empty tally of one kind. */
export function emptyOutcome<T>(): { created: T[]; updated: T[]; unchanged: T[] } {
  return { created: [], updated: [], unchanged: [] };
}
