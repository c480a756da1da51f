import { z } from "zod";
import type { Workspace } from "../../workspace/Workspace.js";
import { readRun } from "../../runs/readRun.js";
import { runRef } from "../../runs/runId.js";
import { readMetricsLog } from "../../runs/readMetricsLog.js";
import { GateReport } from "../../policy/GateReport.js";
import { foldOwnMetrics } from "../../runs/metricsWriter.js";

/** A metric point as MLflow stores it: milliseconds since the epoch and an integer step. */
export interface MirrorMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** A file of the run commit sent as an artifact: its path in the commit and under the MLflow run's artifacts. */
export interface MirrorArtifact {
  file: string;
  artifact: string;
}

/**
 * What an MLflow run mirroring one dw run holds: its name and times, tags that say where it came
 * from, params.json flattened into params, metrics.json at step 0 plus every point log_metrics
 * wrote, and the files sent as artifacts. `commit` is the run ref's head, which the MLflow run's
 * `dw.commit` tag records once all of this is there.
 */
export interface RunMirror {
  runId: string;
  commit: string;
  startTime: number;
  endTime: number;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: MirrorMetric[];
  artifacts: MirrorArtifact[];
}

/** MLflow's limits on one value (mlflow/utils/validation.py): longer ones are refused, so dw cuts them (the full text is in the params.json artifact). */
export const MAX_PARAM_VALUE = 6000;
export const MAX_TAG_VALUE = 8000;

/** Where the model file goes in the MLflow run; a registered version's source is this folder. */
export const MODEL_ARTIFACT_DIR = "model";

const GateStatusOnly = z.looseObject({ status: z.string() });
const Override = z.looseObject({ reason: z.string().optional() });
const ParamsDocument = z.record(z.string(), z.unknown());
const MetricsDocument = z.record(z.string(), z.unknown());

/**
 * The MLflow mirror of run `runId`, read from its commit: a run that is not a dw run is a
 * NOT_FOUND or DATA_ERROR naming it (readRun), as is a damaged params.json or metrics log.
 */
export async function readRunMirror(ws: Workspace, runId: string): Promise<RunMirror> {
  // The mirror names the run's commit (dw.commit): points this process logged are committed first,
  // so that commit holds them.
  await foldOwnMetrics(ws, { sweep: false });
  const { oid, run } = await readRun(ws, runId, "run_id");
  const ref = runRef(runId);
  const endTime = Date.parse(run.created_at);
  const totalS = run.timings.total_s;
  const startTime = Number.isFinite(totalS) && totalS > 0 ? endTime - Math.round(totalS * 1000) : endTime;

  const tags: Record<string, string> = {
    "dw.run_id": runId,
    "dw.dataset_id": run.data.dataset_id,
    "dw.dataset.sha256": run.data.sha256,
    "dw.dataset.source": run.data.source,
    "dw.algorithm": run.algorithm,
    "dw.task": run.task,
    "dw.target": run.target,
    "dw.features": JSON.stringify(run.features),
    "dw.origin": run.origin.via,
  };
  const artifacts: MirrorArtifact[] = [{ file: "model.json", artifact: `${MODEL_ARTIFACT_DIR}/model.json` }];
  for (const gate of GateReport.shape.gate.options) {
    const report = await ws.readDocument(GateStatusOnly, oid, `gates/${gate}.json`, ref);
    if (!report) continue;
    tags[`dw.gate.${gate}`] = report.status;
    artifacts.push({ file: `gates/${gate}.json`, artifact: `gates/${gate}.json` });
  }
  const override = await ws.readDocument(Override, oid, "gates/override.json", ref);
  if (override) {
    tags["dw.gate.override"] = override.reason ?? "overridden";
    artifacts.push({ file: "gates/override.json", artifact: "gates/override.json" });
  }
  for (const file of ["params.json", "metrics.json", "run.json"]) artifacts.push({ file, artifact: `dw/${file}` });

  const params: Record<string, string> = {};
  flatten((await ws.readDocument(ParamsDocument, oid, "params.json", ref)) ?? run.parameters, "", params);

  const metrics: MirrorMetric[] = [];
  const final = (await ws.readDocument(MetricsDocument, oid, "metrics.json", ref)) ?? run.metrics;
  for (const [key, value] of Object.entries(final)) {
    if (typeof value === "number" && Number.isFinite(value)) metrics.push({ key, value, timestamp: endTime, step: 0 });
  }
  for (const p of await readMetricsLog(ws, oid, ref)) {
    const timestamp = Date.parse(p.timestamp);
    if (Number.isFinite(p.value) && Number.isSafeInteger(p.step))
      metrics.push({ key: p.key, value: p.value, timestamp: Number.isFinite(timestamp) ? timestamp : endTime, step: p.step });
  }

  for (const [k, v] of Object.entries(tags)) tags[k] = cut(v, MAX_TAG_VALUE);
  return { runId, commit: oid, startTime, endTime, tags, params, metrics, artifacts };
}

/** Nested objects become dotted keys (hyperparameters.max_depth); other values their JSON, strings as they are. */
function flatten(value: Record<string, unknown>, prefix: string, out: Record<string, string>): void {
  for (const [k, v] of Object.entries(value)) {
    const key = `${prefix}${k}`;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${key}.`, out);
    else out[key] = cut(typeof v === "string" ? v : JSON.stringify(v), MAX_PARAM_VALUE);
  }
}

/** `s` cut to `max` characters (code points, as MLflow counts them) with a marker saying so. */
function cut(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  const marker = " …(cut; see the dw/ artifacts)";
  return chars.slice(0, max - marker.length).join("") + marker;
}
