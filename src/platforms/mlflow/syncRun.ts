import type { Workspace } from "../../workspace/Workspace.js";
import { DwError } from "../../errors/DwError.js";
import type { MlflowClient } from "./mlflowClient.js";
import { MetricHistoryPage, readAnswer, RunAnswer, tagRecord, type MlflowRun } from "./mlflowAnswers.js";
import type { MirrorMetric, RunMirror } from "./readRunMirror.js";
import { logBatches } from "./logBatches.js";

/** The tag whose value is the dw run commit an MLflow run mirrors completely; set last, so its presence means the rest is there. */
export const SYNCED_COMMIT_TAG = "dw.commit";

export interface SyncedRunState {
  outcome: "created" | "updated" | "unchanged";
  mlflowRunId: string;
  /** Where the run's artifacts are, e.g. mlflow-artifacts:/1/<run>/artifacts (a registered version's source is under it). */
  artifactUri: string;
}

/**
 * Makes the MLflow run mirroring `mirror` hold it: creates it (tagged dw.run_id, so the next sync
 * finds it) when `existing` is undefined, logs the tags, the params it lacks and the metric points
 * its history lacks, uploads the artifacts that are new or changed since the commit it last
 * mirrored, marks it FINISHED with its end time, and last sets dw.commit. A run whose dw.commit is
 * already the run's head and which is FINISHED is left alone. Stopped anywhere, the run lacks
 * dw.commit (or has an older one), so the next sync compares again and sends only what is missing.
 */
export async function syncRun(
  mlflow: MlflowClient,
  ws: Workspace,
  mirror: RunMirror,
  experimentId: string,
  existing: MlflowRun | undefined,
): Promise<SyncedRunState> {
  const tags = existing ? tagRecord(existing.data.tags) : {};
  if (existing && isMirrorOf(existing, mirror.commit)) {
    return { outcome: "unchanged", mlflowRunId: existing.info.run_id, artifactUri: existing.info.artifact_uri ?? "" };
  }
  const run =
    existing ??
    readAnswer(
      RunAnswer,
      await mlflow.call("POST", "runs/create", {
        experiment_id: experimentId,
        run_name: mirror.runId,
        start_time: mirror.startTime,
        tags: [{ key: "dw.run_id", value: mirror.runId }],
      }),
      mlflow.url,
      "runs/create",
    ).run;
  const runId = run.info.run_id;
  const artifactRoot = artifactProxyPath(run.info.artifact_uri, mirror.runId);

  const params = tagRecord(run.data.params);
  const batches = logBatches({
    params: Object.entries(mirror.params)
      .filter(([k]) => !(k in params))
      .map(([key, value]) => ({ key, value })),
    tags: Object.entries(mirror.tags)
      .filter(([k, v]) => tags[k] !== v)
      .map(([key, value]) => ({ key, value })),
    metrics: existing ? await missingPoints(mlflow, runId, mirror.metrics) : mirror.metrics,
  });
  for (const batch of batches) await mlflow.call("POST", "runs/log-batch", { run_id: runId, ...batch });

  const previous = existing ? tags[SYNCED_COMMIT_TAG] : undefined;
  for (const a of mirror.artifacts) {
    const text = await ws.readText(mirror.commit, a.file);
    if (text === null) continue;
    if (previous && (await sameFile(ws, previous, mirror.commit, a.file, text))) continue;
    await mlflow.putArtifact(`${artifactRoot}/${a.artifact}`, new TextEncoder().encode(text));
  }

  if (run.info.status !== "FINISHED" || run.info.end_time !== mirror.endTime) {
    await mlflow.call("POST", "runs/update", { run_id: runId, status: "FINISHED", end_time: mirror.endTime });
  }
  await mlflow.call("POST", "runs/set-tag", { run_id: runId, key: SYNCED_COMMIT_TAG, value: mirror.commit });
  return { outcome: existing ? "updated" : "created", mlflowRunId: runId, artifactUri: run.info.artifact_uri ?? "" };
}

/** Whether the MLflow run mirrors dw run commit `commit` completely: it was marked with it last, and is FINISHED. */
export function isMirrorOf(run: MlflowRun, commit: string): boolean {
  return run.info.status === "FINISHED" && run.data.tags.some((t) => t.key === SYNCED_COMMIT_TAG && t.value === commit);
}

/** The points of `wanted` that the run's metric history does not hold yet (same key, step, timestamp and value). */
async function missingPoints(mlflow: MlflowClient, runId: string, wanted: readonly MirrorMetric[]): Promise<MirrorMetric[]> {
  const byKey = new Map<string, MirrorMetric[]>();
  for (const m of wanted) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const missing: MirrorMetric[] = [];
  for (const [key, points] of byKey) {
    const have = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = readAnswer(
        MetricHistoryPage,
        await mlflow.call("GET", "metrics/get-history", { run_id: runId, metric_key: key, max_results: 25000, page_token: pageToken }),
        mlflow.url,
        "metrics/get-history",
      );
      for (const m of page.metrics) have.add(pointKey(m.step, m.timestamp, Number(m.value)));
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    for (const p of points) if (!have.has(pointKey(p.step, p.timestamp, p.value))) missing.push(p);
  }
  return missing;
}

function pointKey(step: number, timestamp: number, value: number): string {
  return `${step}\u0000${timestamp}\u0000${value}`;
}

/** Whether `file` has the same text in the commit mirrored before as now (false when that commit is not in this workspace). */
async function sameFile(ws: Workspace, before: string, now: string, file: string, text: string): Promise<boolean> {
  if (before === now) return true;
  try {
    return (await ws.readText(before, file)) === text;
  } catch {
    return false;
  }
}

/**
 * The path under the tracking server's artifact proxy where a run's artifacts go, from its
 * artifact URI (mlflow-artifacts:/1/<run>/artifacts or mlflow-artifacts://host/1/<run>/artifacts).
 * A run stored elsewhere (a server started with --no-serve-artifacts, an experiment whose
 * artifact location is s3:// or a path) cannot take uploads through the server: a CONFIG_ERROR
 * for that run.
 */
export function artifactProxyPath(uri: string | undefined, runId: string): string {
  const m = uri ? /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.+?)\/*$/.exec(uri) : null;
  const path = m?.[1];
  if (!path || path.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw new DwError(
      "CONFIG_ERROR",
      `The MLflow run of ${runId} keeps its artifacts at '${uri ?? "(none)"}', which the tracking server does not proxy (mlflow-artifacts:/…); its model.json cannot be uploaded through the server.`,
      {
        hint: "Start the tracking server with artifact serving (mlflow server --serve-artifacts --artifacts-destination …, the default since MLflow 2.0) and sync to an experiment created by it.",
        details: { run_id: runId, artifact_uri: uri },
      },
    );
  }
  return path;
}
