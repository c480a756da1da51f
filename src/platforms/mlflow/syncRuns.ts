import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import { RUN_ID, runRef } from "../../runs/runId.js";
import type { MlflowClient } from "./mlflowClient.js";
import { ensureExperiment, findMirroredRuns, listExperiments } from "./mlflowExperiments.js";
import { readRunMirror } from "./readRunMirror.js";
import { isMirrorOf, syncRun, type SyncedRunState } from "./syncRun.js";
import { syncProblem } from "./syncProblem.js";
import { emptyOutcome, type SyncedRun, type SyncProblem } from "./MlflowSyncReport.js";

export interface RunsSynced {
  runs: ReturnType<typeof emptyOutcome<SyncedRun>>;
  errors: SyncProblem[];
  /** The MLflow run of each dw run now mirrored, by dw run id (what registered versions point at). */
  mirrored: Map<string, SyncedRunState>;
}

/**
 * Mirrors every run of the workspace (refs/dw/runs/*) as an MLflow run, in the experiment
 * `experimentOf` names for it or else `defaultExperiment` (created when missing). MLflow runs are
 * found by their dw.run_id tag in every active experiment of the server, so a run mirrored before
 * it joined a dw experiment, or under another default, is found where it is (MLflow cannot move a
 * run) rather than made twice. A run that cannot be read or that MLflow refuses is an error for
 * that run; the others go on.
 */
export async function syncRuns(
  ctx: DomainContext,
  mlflow: MlflowClient,
  o: { defaultExperiment: string; experimentOf: ReadonlyMap<string, string> },
): Promise<RunsSynced> {
  const ws = ctx.workspace;
  const out: RunsSynced = { runs: emptyOutcome(), errors: [], mirrored: new Map() };
  const runIds = (await ws.listRefs("refs/dw/runs")).filter((id) => RUN_ID.test(id)).sort();

  // Runs are looked for in every active experiment, so a run is found wherever an earlier sync
  // put it (another --experiment, before it joined a dw experiment): MLflow cannot move a run.
  const experiments = await listExperiments(mlflow);
  const existing = await findMirroredRuns(mlflow, [...experiments.keys()]);
  const experimentIds = new Map<string, string>();
  const names = new Set(runIds.filter((id) => !existing.has(id)).map((id) => o.experimentOf.get(id) ?? o.defaultExperiment));
  for (const name of [...names].sort()) {
    try {
      experimentIds.set(name, await ensureExperiment(mlflow, name));
    } catch (e) {
      out.errors.push(syncProblem("experiment", name, e));
    }
  }

  let done = 0;
  for (const runId of runIds) {
    if (ctx.signal?.aborted)
      throw new DwError(
        "INTERRUPTED",
        `The MLflow sync was interrupted after ${done} of ${runIds.length} runs; what was sent is consistent and the next sync finishes it.`,
      );
    ctx.progress?.({ message: `MLflow: run ${runId}`, done, total: runIds.length });
    done++;
    const found = existing.get(runId);
    const experiment = o.experimentOf.get(runId) ?? o.defaultExperiment;
    const experimentId = found ? found.info.experiment_id : experimentIds.get(experiment);
    const where = found ? (experiments.get(found.info.experiment_id) ?? found.info.experiment_id) : experiment;
    if (experimentId === undefined) {
      out.errors.push({
        kind: "run",
        item: runId,
        code: "CONFLICT",
        message: `Not synced: its MLflow experiment '${experiment}' could not be used (see that experiment's error).`,
      });
      continue;
    }
    try {
      // A run whose MLflow copy already mirrors its head is not read: a sync of an unchanged
      // workspace costs the search and one ref read per run.
      const head = await ws.readRef(runRef(runId));
      const state =
        found && head !== null && isMirrorOf(found, head)
          ? { outcome: "unchanged" as const, mlflowRunId: found.info.run_id, artifactUri: found.info.artifact_uri ?? "" }
          : await syncRun(mlflow, ws, await readRunMirror(ws, runId), experimentId, found);
      out.mirrored.set(runId, state);
      out.runs[state.outcome].push({ run_id: runId, mlflow_run_id: state.mlflowRunId, experiment: where });
    } catch (e) {
      out.errors.push(syncProblem("run", runId, e));
    }
  }
  return out;
}
