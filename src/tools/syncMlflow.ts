import { z } from "zod";
import { defineTool } from "./defineTool.js";
import type { Workspace } from "../workspace/Workspace.js";
import { findExperiment } from "../experiments/readExperiment.js";
import { MlflowSyncReport } from "../platforms/mlflow/MlflowSyncReport.js";
import { DEFAULT_EXPERIMENT, syncToMlflow } from "../platforms/mlflow/syncToMlflow.js";

export const SyncMlflowInput = z.strictObject({
  url: z.string().min(1).describe("The MLflow tracking server's base URL, http or https, e.g. http://127.0.0.1:5000 (what MLFLOW_TRACKING_URI holds)."),
  experiment: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe(
      `The MLflow experiment for runs that are in no dw experiment (default "${DEFAULT_EXPERIMENT}"); a run in a dw experiment goes to the MLflow experiment of that name.`,
    ),
});
export type SyncMlflowInput = z.infer<typeof SyncMlflowInput>;

export const SyncMlflowOutput = MlflowSyncReport.extend({
  note: z.string().describe("How dw's objects are matched to MLflow's (by tags, since MLflow numbers versions itself)."),
});
export type SyncMlflowOutput = z.infer<typeof SyncMlflowOutput>;

/**
 * Mirrors the workspace to an MLflow tracking server: each run as an MLflow run (params, metrics
 * with their steps, tags saying where it came from, model.json and the gate reports as
 * artifacts), each registered version as an MLflow model version whose source is that run's
 * model, and each alias as an MLflow alias. Idempotent: objects are found again by their dw tags,
 * so a second sync changes nothing and a changed run or alias is updated. Credentials come from
 * MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD, as for MLflow's clients.
 *
 * @example
 * ```ts
 * const r = await dw.syncMlflow({ url: "http://127.0.0.1:5000" });
 * r.runs.created.length; // runs new to MLflow
 * ```
 */
export const syncMlflow = defineTool({
  name: "sync_mlflow",
  // It changes an MLflow server, not the workspace; "writes" so that no host calls it as read-only.
  annotations: { effect: "reads", writesOutside: true, openWorld: true, idempotent: true, long: true },
  description:
    "Mirror the workspace's runs, registered versions and aliases to an MLflow tracking server over its REST API, idempotently (matched by dw tags; MLflow's version numbers may differ from dw's).",
  input: SyncMlflowInput,
  output: SyncMlflowOutput,
  magic: { positional: "url" },
  async run(input, ctx) {
    const experimentOf = await runExperiments(ctx.workspace);
    const report = await syncToMlflow(ctx, { url: input.url, experiment: input.experiment, experimentOf, env: process.env });
    return {
      ...report,
      note: "MLflow numbers registered versions itself, so its numbers may differ from dw's: each MLflow version carries the dw version in its tag dw.version, and each alias is set on the MLflow version tagged with the dw version it names.",
    };
  },
});

/** The dw experiment of each run in one (the first by name when a run is in several). */
async function runExperiments(ws: Workspace): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await ws.listRefs("refs/dw/experiments")).sort()) {
    const found = await findExperiment(ws, name);
    for (const runId of found?.runs ?? []) if (!out.has(runId)) out.set(runId, name);
  }
  return out;
}
