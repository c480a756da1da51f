import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import { createMlflowClient, type MlflowClient } from "./mlflowClient.js";
import { ExperimentsPage, readAnswer } from "./mlflowAnswers.js";
import { isRefusal } from "./MlflowRefusal.js";
import { syncRuns } from "./syncRuns.js";
import { syncRegistry } from "./syncRegistry.js";
import type { MlflowSyncReport } from "./MlflowSyncReport.js";

/** The MLflow experiment of a run that belongs to no dw experiment, unless the caller names another. */
export const DEFAULT_EXPERIMENT = "dw";

export interface SyncToMlflowOptions {
  /** The tracking server's base URL (http or https). */
  url: string;
  /** The experiment for runs in no dw experiment; default "dw". */
  experiment?: string;
  /** The dw experiment of each run that has one (its MLflow experiment has the same name). */
  experimentOf?: ReadonlyMap<string, string>;
  /** Where MLflow's credentials are read (MLFLOW_TRACKING_TOKEN, or _USERNAME and _PASSWORD). */
  env: NodeJS.ProcessEnv;
  /** Per request (an artifact upload gets a second more per MiB); default 30 s. */
  timeoutMs?: number;
}

/**
 * Mirrors the workspace to an MLflow tracking server over its REST API: runs first (syncRuns),
 * then registered versions and aliases (syncRegistry), which point at those runs. Idempotent: what
 * MLflow already holds is found by dw's tags and left alone, so a second sync sends nothing but
 * lookups; what changed since (new metric points, a moved alias) is updated. The report lists
 * what was created, updated and unchanged per kind, and each item that could not be synced with
 * why. A server that cannot be reached or is not MLflow is a CONNECTION_ERROR naming the URL.
 *
 * @example
 * ```ts
 * const report = await syncToMlflow(ctx, { url: "http://127.0.0.1:5000", env: process.env });
 * ```
 */
export async function syncToMlflow(ctx: DomainContext, o: SyncToMlflowOptions): Promise<MlflowSyncReport> {
  const mlflow = createMlflowClient({ url: o.url, env: o.env, signal: ctx.signal, timeoutMs: o.timeoutMs });
  await checkTrackingServer(mlflow);
  const runs = await syncRuns(ctx, mlflow, { defaultExperiment: o.experiment ?? DEFAULT_EXPERIMENT, experimentOf: o.experimentOf ?? new Map() });
  const registry = await syncRegistry(ctx, mlflow, runs.mirrored);
  return { url: mlflow.url, runs: runs.runs, versions: registry.versions, aliases: registry.aliases, errors: [...runs.errors, ...registry.errors] };
}

/** One cheap request that only an MLflow tracking server answers as MLflow does, before anything is sent. */
async function checkTrackingServer(mlflow: MlflowClient): Promise<void> {
  try {
    readAnswer(ExperimentsPage, await mlflow.call("POST", "experiments/search", { max_results: 1 }), mlflow.url, "experiments/search");
  } catch (e) {
    if (!isRefusal(e)) throw e;
    throw new DwError(
      "CONNECTION_ERROR",
      `${mlflow.url} refused MLflow's experiments/search (HTTP ${e.status}, ${e.errorCode}): it is not an MLflow tracking server dw can sync to.`,
      {
        hint: "Pass the tracking server's base URL (what MLFLOW_TRACKING_URI holds), e.g. --url http://127.0.0.1:5000.",
        details: { url: mlflow.url, status: e.status },
      },
    );
  }
}
