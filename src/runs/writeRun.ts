import type { Workspace } from "../workspace/Workspace.js";
import { commitMessage } from "../workspace/commitMessage.js";
import { documentText } from "../workspace/documentText.js";
import type { DatasetRecord } from "../data/datasetRecords.js";
import type { ModelJson } from "../models/ModelJson.js";
import { modelJsonText } from "../models/modelJsonText.js";
import type { GateReport } from "../policy/GateReport.js";
import type { GateOverrideRecord } from "../policy/GateOverrideRecord.js";
import type { RunRecord, TrainingParameters } from "./RunRecord.js";
import type { RunOrigin } from "./RunOrigin.js";
import { runRef } from "./runId.js";
import { executionFiles, type ExecutionFiles } from "../execution/executionFiles.js";

/** A finished training, as the run commit stores it. */
export interface NewRun {
  runId: string;
  now: Date;
  /** params.json; a run written now always says its task and cv_folds (null for a holdout). */
  parameters: TrainingParameters & { task: string; cv_folds: number | null };
  metrics: Record<string, number>;
  confusion?: number[][];
  /** How the metrics were measured, for the commit message: "holdout 292 rows", "5-fold". */
  evaluatedOn: string;
  timings: Record<string, number>;
  dataset: { record: DatasetRecord; rowsUsed: number };
  /** The gates' reports, the files they store (gates/<gate>.json) and the override that let a failed gate pass. */
  gates: { reports: GateReport[]; files: Record<string, string>; override?: Pick<GateOverrideRecord, "reason" | "by" | "gates"> };
  model: ModelJson;
  /** Files that areas above runs/ keep with the run for later checks, by path (the quality gate's training snapshot). */
  references: Record<string, string>;
  note?: string;
  origin?: RunOrigin;
}

/**
 * Another record a run is added to in the same locked step, such as an experiment's list of runs
 * (which lives above runs/, so it is passed in). `prepare` runs under the lock before the run
 * commit and may refuse, so a refusal writes nothing; the step it returns runs after the commit.
 */
export interface RunAttachment {
  prepare(): Promise<(runId: string, now: Date) => Promise<unknown>>;
}

/**
 * Writes a training run as one commit under refs/dw/runs/<run_id>: run.json, params.json,
 * metrics.json, the data manifest and snapshot, the gate reports, model.json, and the cell and
 * notebook it came from. An `attachment` (an experiment) is updated under the same lock, so the
 * run and its attachment are one serialized step. Returns the commit's oid.
 *
 * @example
 * ```ts
 * const oid = await writeRun(ctx.workspace, { runId, now, parameters, metrics, evaluatedOn: "holdout 292 rows", ... });
 * ```
 */
export async function writeRun(ws: Workspace, run: NewRun, attachment?: RunAttachment): Promise<string> {
  // Computed before the lock: parsing and stripping a large notebook holds no one up.
  const execution = await executionFiles(run.runId, run.origin ?? {});
  const files = runFiles(run, execution);
  const message = runMessage(run, execution);
  // The commit's objects need no lock (no ref names them yet, so no reader sees them): they are
  // written while the lock is being taken, and only the ref, which makes the run visible, waits for it.
  const written = ws.writeCommit({ message, files, now: run.now });
  // Handled at once: a failure while the lock is awaited is rethrown below, never reported unhandled.
  written.catch(() => undefined);
  try {
    return await ws.withLock(async () => {
      // Prepared under the lock, so the run and its attachment are one serialized step.
      const attach = await attachment?.prepare();
      const oid = await written;
      await ws.writeRef(runRef(run.runId), oid);
      await attach?.(run.runId, run.now);
      return oid;
    });
  } catch (e) {
    // Nothing is left writing behind the caller's back: a lock that failed first waits for the objects.
    await written.catch(() => undefined);
    throw e;
  }
}

/** run.json: what a listing of runs shows without reading the rest. */
function runRecord(run: NewRun, execution: ExecutionFiles): RunRecord {
  const { record } = run.dataset;
  const p = run.parameters;
  return {
    run_id: run.runId,
    tool: "train_model",
    created_at: run.now.toISOString(),
    algorithm: p.algorithm,
    task: p.task,
    target: p.target,
    features: p.features,
    parameters: { ...p },
    metrics: run.metrics,
    timings: run.timings,
    data: {
      dataset_id: record.dataset_id,
      source: record.source,
      sha256: record.sha256,
      size_bytes: record.size_bytes,
      rows: record.rows,
      rows_used: run.dataset.rowsUsed,
      columns: record.columns,
    },
    origin: {
      via: run.origin?.via ?? "api",
      notebook_path: run.origin?.notebook?.path,
      has_cell: run.origin?.cell !== undefined,
      cell_id: run.origin?.cell_id,
      notebook_source: execution.notebook_source,
      history: execution.history,
    },
  };
}

function runFiles(run: NewRun, execution: ExecutionFiles): Record<string, string> {
  const { record } = run.dataset;
  const rec = runRecord(run, execution);
  const files: Record<string, string> = {
    "run.json": documentText(rec),
    "params.json": documentText(run.parameters),
    "metrics.json": documentText(run.confusion ? { ...run.metrics, confusion_matrix: run.confusion } : run.metrics),
    "data/manifest.json": documentText({
      ...rec.data,
      format: record.format,
      ...(record.delimiter !== undefined ? { delimiter: record.delimiter } : {}),
      schema: record.columns,
    }),
    ...run.references,
    ...run.gates.files,
    "model.json": modelJsonText(run.model),
  };
  if (run.origin?.cell !== undefined) files["cell.ts"] = run.origin.cell;
  // notebook.ipynb (stripped), notebook.ts, execution/history.{json,ts}, execution/environment.json.
  Object.assign(files, execution.files);
  return files;
}

function runMessage(run: NewRun, execution: ExecutionFiles): string {
  const { record } = run.dataset;
  const p = run.parameters;
  const override = run.gates.override;
  return commitMessage(
    `dw run ${run.runId}: ${p.algorithm} ${p.target} ~ ${p.features.join(" + ")}`,
    [
      `metrics (${run.evaluatedOn}): ${Object.entries(run.metrics)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(" ")}`,
      `data: ${record.source} (${record.dataset_id}) sha256:${record.sha256.slice(0, 12)} ${record.rows} rows, ${run.dataset.rowsUsed} used`,
      `params: task=${p.task} seed=${p.seed} hyperparameters=${JSON.stringify(p.hyperparameters)}`,
      `gates: ${run.gates.reports.map((r) => `${r.gate}=${r.status}`).join(" ")}`,
      override ? `override (${override.gates.join(", ")}) by ${override.by}: ${override.reason}` : undefined,
      run.note,
      run.origin?.notebook ? `notebook: ${run.origin.notebook.path} (${execution.notebook_source === "browser" ? "from the browser" : "as saved"})` : undefined,
      execution.history ? "history: execution/history.ts (what the kernel ran before, in order)" : undefined,
      ...execution.notes,
    ],
    { "Dw-Run": run.runId, "Dw-Tool": "train_model" },
  );
}

const fmt = (x: number) => (Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toExponential(3) : x.toFixed(4));
