import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { checkExperimentName, experimentRef, ExperimentRecord, ExperimentRuns } from "./Experiment.js";

export interface ExperimentState {
  /** The experiment's head commit. */
  oid: string;
  experiment: ExperimentRecord;
  /** Run ids attached to it, in the order they were attached (`runs.json`). */
  runs: string[];
}

/**
 * The experiment's head commit, record and runs; null when there is no such experiment. A record
 * that fails its schema is a DATA_ERROR naming the experiment's ref and the field.
 */
export async function findExperiment(ws: Workspace, name: string): Promise<ExperimentState | null> {
  const ref = experimentRef(name);
  const oid = await ws.readRef(ref);
  if (!oid) return null;
  const experiment = await ws.readDocument(ExperimentRecord, oid, "experiment.json", ref);
  if (!experiment) throw new DwError("DATA_ERROR", `${ref} has no experiment.json; it was not written by dw.`, { details: { experiment: name } });
  const runs = (await ws.readDocument(ExperimentRuns, oid, "runs.json", ref)) ?? [];
  return { oid, experiment, runs };
}

/** Like findExperiment, but a missing experiment is a NOT_FOUND error that says how to make one. */
export async function readExperiment(ws: Workspace, name: string, field = "experiment"): Promise<ExperimentState> {
  checkExperimentName(name, field);
  const found = await findExperiment(ws, name);
  if (!found) {
    const known = await ws.listRefs("refs/dw/experiments");
    throw new DwError("NOT_FOUND", `No experiment '${name}' in this workspace.`, {
      hint: known.length
        ? `Experiments: ${known.join(", ")}. Or create it with create_experiment --name ${name}.`
        : `Create it first: %dw create_experiment --name ${name}`,
      details: { field, experiment: name },
    });
  }
  return found;
}
