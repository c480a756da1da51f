import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { RUN_ID, runRef } from "./runId.js";
import { RunRecord } from "./RunRecord.js";

/**
 * The commit and run.json of a run, or a NOT_FOUND error that says how to find run ids. A run.json
 * that is missing or fails its schema is a DATA_ERROR naming the run's ref (and the field).
 */
export async function readRun(ws: Workspace, runId: string, field = "model_id"): Promise<{ oid: string; run: RunRecord }> {
  if (!RUN_ID.test(runId)) {
    throw new DwError("INVALID_INPUT", `'${runId}' is not a run id (expected the form 20261128-031502-a1b2c3).`, {
      hint: "Pass the run_id that train_model returned, e.g. --run_id run.run_id.",
      details: { field },
    });
  }
  const oid = await ws.readRef(runRef(runId));
  if (!oid) {
    throw new DwError("NOT_FOUND", `No run '${runId}' in this workspace.`, {
      hint: "List runs with: git for-each-ref refs/dw/runs",
      details: { field, run_id: runId },
    });
  }
  const run = await ws.readDocument(RunRecord, oid, "run.json", runRef(runId));
  if (!run) throw new DwError("DATA_ERROR", `Run '${runId}' has no run.json; it was not written by dw.`, { details: { field } });
  return { oid, run };
}
