import type { Workspace } from "../workspace/Workspace.js";
import { RUN_ID } from "../runs/runId.js";
import { readRun } from "../runs/readRun.js";
import { resolveRetrainTarget } from "../deployment/resolveRetrainTarget.js";
import { DwError, isDwError } from "../errors/DwError.js";

const FORMS = "a run id (20261128-031502-a1b2c3), name@alias, name/version, or a model name (its production alias)";

/** The commit a reproduction reads, the run it is, and how to name it to the user. */
export interface ReproduceTarget {
  runId: string;
  /** The run ref's newest commit (log_metrics and hand edits add commits on top), or a version's registration commit. */
  commit: string;
  /** "run 20261128-…", "temp v3 (temp@production)". */
  label: string;
}

/**
 * What reproduce_run's `model_id` names: a run id is the newest commit of refs/dw/runs/<id> (so an
 * edit committed on top is what is reproduced); `name@alias`, a model name (its production alias)
 * and `name/version` resolve as retrain_model resolves them, to the version's registration commit,
 * which holds the run's tree as it was registered. Errors are retrain_model's: INVALID_INPUT for
 * a malformed id, NOT_FOUND naming what exists.
 *
 * @example
 * ```ts
 * const t = await resolveReproduceTarget(ws, "temp@production"); // { runId: "20261128-…", commit: "9f…", label: "temp v1 (temp@production)" }
 * ```
 */
export async function resolveReproduceTarget(ws: Workspace, modelId: string): Promise<ReproduceTarget> {
  const id = modelId.trim();
  if (RUN_ID.test(id)) {
    const { oid } = await readRun(ws, id, "model_id");
    return { runId: id, commit: oid, label: `run ${id}` };
  }
  const { model, alias, version } = await resolveRetrainTarget(ws, id).catch((e: unknown) => {
    if (!isDwError(e) || e.code !== "INVALID_INPUT" || !e.message.includes("retrain_model")) throw e;
    throw new DwError("INVALID_INPUT", `model_id '${id.length > 120 ? `${id.slice(0, 100)}…` : id}' is not a run id, name@alias, name/version or model name.`, {
      hint: `reproduce_run takes ${FORMS}.`,
      details: { field: "model_id" },
    });
  });
  const named = id.includes("/") ? "" : ` (${model}@${alias ?? "production"})`;
  return { runId: version.run_id, commit: version.commit, label: `${model} v${version.version}${named}` };
}
