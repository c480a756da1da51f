import type { Workspace } from "../workspace/Workspace.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { experimentRef } from "./Experiment.js";
import type { ExperimentState } from "./readExperiment.js";

/**
 * Adds a run to an experiment: a new experiment commit (parent = the current head) whose
 * runs.json lists the run. A run already attached writes nothing. Call under ws.withLock, with
 * `state` read under that same lock.
 */
export async function attachRunToExperiment(ws: Workspace, state: ExperimentState, runId: string, now: Date): Promise<{ commit: string; attached: boolean }> {
  if (state.runs.includes(runId)) return { commit: state.oid, attached: false };
  const runs = [...state.runs, runId];
  const name = state.experiment.name;
  const commit = await ws.commit({
    ref: experimentRef(name),
    message: commitMessage(`dw experiment ${name}: add run ${runId}`, [`runs (${runs.length}): ${runs.join(" ")}`], { "Dw-Experiment": name, "Dw-Run": runId }),
    base: state.oid,
    parents: [state.oid],
    files: { "runs.json": documentText(runs) },
    now,
  });
  return { commit, attached: true };
}
