import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { committedDocument, parseDocument } from "../workspace/parseDocument.js";

/** One line of a run's `metrics_log.jsonl`: a metric value at a step, written by log_metrics. */
export const MetricPoint = z.looseObject({ key: z.string(), value: z.number(), step: z.number(), timestamp: z.string() });
export type MetricPoint = z.infer<typeof MetricPoint>;

export const METRICS_LOG = "metrics_log.jsonl";

/**
 * The points logged on a run commit, in the order they were written; [] when none were. A line that
 * is not a point is a DATA_ERROR naming `refName` (else the commit), the line and the field.
 */
export async function readMetricsLog(ws: Workspace, commitOid: string, refName?: string): Promise<MetricPoint[]> {
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
