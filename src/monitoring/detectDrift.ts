import { relative } from "node:path";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { readDataset } from "../data/readDataset.js";
import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import { loadModel, type LoadedModel } from "../models/scoreModel.js";
import { readRun } from "../runs/readRun.js";
import { RunMetrics } from "../runs/RunRecord.js";
import { runRef } from "../runs/runId.js";
import type { DriftMethod } from "./drift/DriftMethod.js";
import type { DriftReport } from "./DriftReport.js";
import { baselineFromReference, type DriftBaseline, type DriftCurrent } from "./DriftSide.js";
import { baselineFromDataset, currentFromDataset } from "./datasetSides.js";
import { checkDriftInParallel } from "./checkDriftInParallel.js";
import { currentFromLog } from "./currentFromLog.js";
import type { DriftSubject } from "./driftSubject.js";
import { requestsLogDir } from "./log/logPaths.js";
import { piiColumns } from "./log/piiColumns.js";
import { readFeedback, readInferenceWindow } from "./log/readInferenceLog.js";
import { readMonitoringPolicy } from "./monitoringPolicy.js";
import { readDriftReference } from "./reference/readDriftReference.js";

/** What detect_model_drift asks: the model, what to compare with what, and how (each unset field from the policy). */
export interface DriftRequest {
  subject: DriftSubject;
  /** Compare with this dataset instead of the reference stored with the run. */
  baselineDatasetId?: string;
  /** Compare this dataset instead of the deployment's logged traffic. */
  datasetId?: string;
  /** The newest logged rows to compare (default: the policy's window_rows). */
  windowRows?: number;
  /** Only rows logged at or after this time (epoch ms). */
  since?: number;
  method?: DriftMethod | "auto";
  threshold?: number;
  driftShare?: number;
}

/** A drift report and what it was about. */
export interface DetectedDrift {
  report: DriftReport;
  task: "regression" | "classification";
  target: string;
  /** stored: the run's reference; rebuilt: built from the run's cached data (a run made before references); absent with a baseline dataset. */
  referenceOrigin?: "stored" | "rebuilt";
}

/**
 * A drift check on demand: the baseline (the reference stored with the model's run, or a dataset)
 * against the current data (the newest rows of the deployment's inference log that the checked
 * version answered, with the labels that arrived for them, or a dataset scored with the model).
 * The method, threshold, share and window default to the policy's `monitoring.drift`. A model
 * that is not deployed has no traffic, and a window with fewer rows than the policy's min_rows is
 * too small: both are errors that say what to do.
 *
 * @example
 * ```ts
 * const { report } = await detectDrift(ws, { subject: { runId, version: 2, deployment: { model: "churn", alias: "production" } } });
 * ```
 */
export async function detectDrift(ws: Workspace, req: DriftRequest): Promise<DetectedDrift> {
  const drift = (await readMonitoringPolicy(ws)).policy.drift;
  const asked = req.method ?? drift.method;
  const method = asked === "auto" ? undefined : asked;
  const threshold = req.threshold ?? drift.threshold ?? undefined;
  const driftShare = req.driftShare ?? drift.drift_share;
  const { runId } = req.subject;
  const needModel = req.baselineDatasetId !== undefined || req.datasetId !== undefined;
  const model = needModel ? await runModel(ws, runId) : undefined;

  let baseline: DriftBaseline;
  let referenceOrigin: DetectedDrift["referenceOrigin"];
  if (req.baselineDatasetId !== undefined) {
    const { record, ds } = await readDataset(ws, req.baselineDatasetId);
    baseline = baselineFromDataset(record, ds, model!, await runMetrics(ws, runId));
  } else {
    const loaded = await readDriftReference(ws, runId);
    referenceOrigin = loaded.origin;
    baseline = baselineFromReference(loaded);
  }

  let current: DriftCurrent;
  if (req.datasetId !== undefined) {
    const { record, ds } = await readDataset(ws, req.datasetId);
    current = currentFromDataset(record, ds, model!);
  } else {
    current = await currentFromTraffic(ws, req, baseline, drift.window_rows, drift.min_rows);
  }
  const report = await checkDriftInParallel(baseline, current, { method, threshold, driftShare });
  const head = model?.json ?? { task: baseline.task, target: await runTarget(ws, runId) };
  return { report, task: head.task, target: head.target, ...(referenceOrigin ? { referenceOrigin } : {}) };
}

async function currentFromTraffic(ws: Workspace, req: DriftRequest, baseline: DriftBaseline, windowRows: number, minRows: number): Promise<DriftCurrent> {
  const { subject } = req;
  const d = subject.deployment;
  if (!d) {
    throw new DwError("NOT_FOUND", `The model of run ${subject.runId} is not deployed, so it has no logged traffic to check.`, {
      hint: "Deploy it (deploy_model), or pass dataset_id to compare a dataset with its reference.",
      details: { field: "model_id" },
    });
  }
  const window = await readInferenceWindow(ws.root, d.model, d.alias, {
    last: req.windowRows ?? windowRows,
    ...(req.since !== undefined ? { since: req.since } : {}),
  });
  const current = currentFromLog(window.records, baseline, await readFeedback(ws.root, d.model, d.alias), {
    deployment: `${d.model}@${d.alias}`,
    ...(subject.version !== undefined ? { version: subject.version } : {}),
    pii: await piiColumns(ws, subject.runId),
  });
  if (current.rows < minRows) {
    const where = relative(ws.root, requestsLogDir(ws.root, d.model, d.alias));
    const of = subject.version !== undefined ? ` answered by version ${subject.version}` : "";
    throw new DwError(
      "NOT_FOUND",
      current.rows === 0
        ? `${d.model}@${d.alias} has no logged requests${of} yet: a drift check needs at least ${minRows} rows.`
        : `${d.model}@${d.alias} has logged ${current.rows} rows${of}${req.since !== undefined ? " since the time given" : ""}: a drift check needs at least ${minRows}.`,
      {
        hint: `dw serve logs every scored row of ${d.model}@${d.alias} under ${where}/ (monitoring.drift.min_rows in dw.policy.yaml sets the minimum). Send more requests, or pass dataset_id to compare a dataset.`,
        details: { field: "model_id", rows: current.rows, min_rows: minRows },
      },
    );
  }
  return current;
}

/** The run's fitted model, as scoring loads it. */
async function runModel(ws: Workspace, runId: string): Promise<LoadedModel> {
  const { oid } = await readRun(ws, runId, "model_id");
  const text = await ws.readText(oid, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
  if (text === null) throw new DwError("DATA_ERROR", `Run '${runId}' has no model.json: it did not train a model.`, { details: { field: "model_id" } });
  return loadModel(text, `model.json of run '${runId}'`);
}

/** The run's hold-out metrics (numbers only). */
async function runMetrics(ws: Workspace, runId: string): Promise<Record<string, number>> {
  const { oid } = await readRun(ws, runId, "model_id");
  const m = await ws.readDocument(RunMetrics, oid, "metrics.json", runRef(runId));
  const { confusion_matrix: _, ...numbers } = m ?? {};
  return numbers as Record<string, number>;
}

async function runTarget(ws: Workspace, runId: string): Promise<string> {
  return (await readRun(ws, runId, "model_id")).run.target;
}
