import type { Workspace } from "../workspace/Workspace.js";

/** One line of a run's `metrics_log.jsonl`: a metric value at a step, written by log_metrics. */
export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: string;
}

export const METRICS_LOG = "metrics_log.jsonl";

/** The points logged on a run commit, in the order they were written; [] when none were. */
export async function readMetricsLog(ws: Workspace, commitOid: string): Promise<MetricPoint[]> {
  const text = await ws.readText(commitOid, METRICS_LOG);
  if (text === null) return [];
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as MetricPoint);
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
