import type { DomainContext } from "../../workspace/DomainContext.js";
import { DwError } from "../../errors/DwError.js";
import { RUN_ID, runRef } from "../../runs/runId.js";
import type { MlflowClient } from "./mlflowClient.js";
import { ensureExperiment, findMirroredRuns } from "./mlflowExperiments.js";
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
 * `experimentOf` names for it or else `defaultExperiment`. MLflow runs are found by their dw.run_id
 * tag in all those experiments, so a run mirrored before it joined a dw experiment is found
 * where it is (MLflow cannot move a run) rather than made twice. A run that cannot be read or
 * that MLflow refuses is an error for that run; the others go on.
 */
export async function syncRuns(
  ctx: DomainContext,
  mlflow: MlflowClient,
  o: { defaultExperiment: string; experimentOf: ReadonlyMap<string, string> },
): Promise<RunsSynced> {
  const ws = ctx.workspace;
  const out: RunsSynced = { runs: emptyOutcome(), errors: [], mirrored: new Map() };
  const runIds = (await ws.listRefs("refs/dw/runs")).filter((id) => RUN_ID.test(id)).sort();

  const experimentIds = new Map<string, string>();
  const names = new Set([o.defaultExperiment, ...runIds.map((id) => o.experimentOf.get(id) ?? o.defaultExperiment)]);
  for (const name of [...names].sort()) {
    try {
      experimentIds.set(name, await ensureExperiment(mlflow, name));
    } catch (e) {
      out.errors.push(syncProblem("experiment", name, e));
    }
  }
  const existing = await findMirroredRuns(mlflow, [...experimentIds.values()]);

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
    const experimentId = found?.info.experiment_id ?? experimentIds.get(experiment);
    const where = found ? (nameOf(experimentIds, found.info.experiment_id) ?? experiment) : experiment;
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

function nameOf(ids: ReadonlyMap<string, string>, experimentId: string): string | undefined {
  for (const [name, id] of ids) if (id === experimentId) return name;
  return undefined;
}
