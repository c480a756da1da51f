import type { DomainContext } from "../workspace/DomainContext.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import { readRun } from "../runs/readRun.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { modelVersionRef } from "./refs.js";
import { checkModelName } from "../workspace/refNames.js";
import { listModels, type Registration } from "./readRegistry.js";

/** A version just registered: its registration.json, the run it was made from, and its commit and ref. */
export interface RegisteredVersion {
  registration: Registration;
  run: RunRecord;
  /** The registration commit; its first parent is the run commit. */
  commit: string;
  /** refs/dw/models/<name>/<version>, pointing at `commit`. */
  ref: string;
}

/**
 * Registers a training run's model as the next version of a named model (versions count up from 1
 * per name): a commit whose parent is the run commit, holding the run's tree plus registration.json
 * (and the notebook, when the run has none and the caller has one), under
 * refs/dw/models/<name>/<version>. The version is numbered and committed under the workspace lock;
 * `underLock` runs under that same lock once the commit is made (register_model moves an alias
 * there, so the version it moves is the one just made), with the clock reading the registration used.
 *
 * @example
 * ```ts
 * const v = await registerVersion(ctx, { runId: run.run_id, modelName: "temp", description: "first try" });
 * v.registration.version; // 1
 * ```
 */
export async function registerVersion(
  ctx: DomainContext,
  args: {
    runId: string;
    modelName: string;
    description?: string;
    /** The notebook (its JSON text) the run came from, stored when the run commit has none. */
    notebook?: string;
    underLock?: (version: RegisteredVersion, now: Date) => Promise<void>;
  },
): Promise<RegisteredVersion> {
  checkModelName(args.modelName);
  const ws = ctx.workspace;
  const { oid: runCommit, run } = await readRun(ws, args.runId);
  const now = ctx.now();
  return ws.withLock(async () => {
    const versions = (await listModels(ws)).get(args.modelName) ?? [];
    const version = (versions[versions.length - 1] ?? 0) + 1;
    const registration: Registration = {
      model_name: args.modelName,
      version,
      run_id: run.run_id,
      run_commit: runCommit,
      registered_at: now.toISOString(),
      ...(args.description !== undefined ? { description: args.description } : {}),
    };
    const ref = modelVersionRef(args.modelName, version);
    const message = commitMessage(
      `dw model ${args.modelName} v${version}: register run ${run.run_id}`,
      [
        `${run.algorithm} ${run.target} ~ ${run.features.join(" + ")}`,
        `metrics: ${Object.entries(run.metrics)
          .map(([k, v]) => `${k}=${v.toFixed(4)}`)
          .join(" ")}`,
        ...(args.description ? ["", args.description] : []),
      ],
      { "Dw-Model": args.modelName, "Dw-Version": version, "Dw-Run": run.run_id },
    );
    const files: Record<string, string> = { "registration.json": documentText(registration) };
    // A run made where the kernel could not see its notebook gets the one the caller has now.
    if (args.notebook !== undefined && (await ws.readText(runCommit, "notebook.ipynb")) === null) files["notebook.ipynb"] = args.notebook;
    const commit = await ws.commit({ ref, message, base: runCommit, parents: [runCommit], files, now });
    const registered = { registration, run, commit, ref };
    await args.underLock?.(registered, now);
    return registered;
  });
}
