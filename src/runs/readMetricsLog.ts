import type { Workspace } from "../workspace/Workspace.js";
import { committedDocument, parseDocument } from "../workspace/parseDocument.js";
import { MetricPoint } from "./MetricPoint.js";
import { pendingPointsOnHead } from "./pendingMetrics.js";
import { RUN_ID } from "./runId.js";

export { MetricPoint };

export const METRICS_LOG = "metrics_log.jsonl";

/**
 * The points logged on a run commit, in the order they were written; [] when none were. A line that
 * is not a point is a DATA_ERROR naming `refName` (else the commit), the line and the field.
 *
 * When `refName` is a run's ref and `commitOid` is where it points now, the points log_metrics has
 * appended but not yet folded into a commit (src/runs/pendingMetrics.ts) follow, in the order the
 * fold will commit them: every reader sees what it would if each call had committed.
 *
 * @example
 * ```ts
 * const points = await readMetricsLog(ws, oid, runRef(runId));
 * ```
 */
export async function readMetricsLog(ws: Workspace, commitOid: string, refName?: string): Promise<MetricPoint[]> {
  const points = await readCommittedMetricsLog(ws, commitOid, refName);
  const runId = refName?.startsWith("refs/dw/runs/") ? refName.slice("refs/dw/runs/".length) : undefined;
  if (runId === undefined || !RUN_ID.test(runId) || (await ws.readRef(refName!)) !== commitOid) return points;
  return [...points, ...(await pendingPointsOnHead(ws, runId, commitOid)).points];
}

/** The points in the commit's own metrics_log.jsonl, nothing pending. */
export async function readCommittedMetricsLog(ws: Workspace, commitOid: string, refName?: string): Promise<MetricPoint[]> {
  const text = await ws.readText(commitOid, METRICS_LOG);
  if (text === null) return [];
  const points: MetricPoint[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() !== "") points.push(parseDocument(MetricPoint, line, committedDocument(commitOid, METRICS_LOG, refName, i + 1)));
  });
  return points;
}

/** Per key, the value at the highest step; on equal steps the later line wins. */
export function lastMetricValues(points: readonly MetricPoint[]): Record<string, { value: number; step: number }> {
  const out: Record<string, { value: number; step: number }> = {};
  for (const p of points) {
    const cur = out[p.key];
    if (!cur || p.step >= cur.step) out[p.key] = { value: p.value, step: p.step };
  }
  return out;
}
