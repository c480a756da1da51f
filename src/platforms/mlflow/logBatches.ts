import type { MirrorMetric } from "./readRunMirror.js";

/** MLflow's limits on one runs/log-batch request (mlflow/utils/validation.py, the REST API reference). */
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, entities: 1000, bytes: 1_000_000 } as const;

interface KeyValue {
  key: string;
  value: string;
}

export interface LogBatch {
  metrics: MirrorMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/**
 * The bodies of runs/log-batch requests that send all of `items`, each within MLflow's limits:
 * at most 1000 metrics, 100 params, 100 tags, 1000 of them together, and under 1 MB of JSON
 * (with room for the run id and the brackets). Params go in the first batches, in order: a run
 * whose params are refused is refused before any of its metrics is logged. Linear in the items.
 *
 * @example
 * ```ts
 * for (const batch of logBatches({ metrics, params: [], tags: [] })) await mlflow.call("POST", "runs/log-batch", { run_id, ...batch });
 * ```
 */
export function logBatches(items: LogBatch): LogBatch[] {
  const out: LogBatch[] = [];
  let cur: LogBatch = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  const budget = BATCH_LIMITS.bytes - 1024;
  const add = (kind: keyof LogBatch, item: MirrorMetric | KeyValue, limit: number) => {
    const size = Buffer.byteLength(JSON.stringify(item), "utf8") + 1;
    const count = cur.metrics.length + cur.params.length + cur.tags.length;
    if (cur[kind].length >= limit || count >= BATCH_LIMITS.entities || bytes + size > budget) {
      out.push(cur);
      cur = { metrics: [], params: [], tags: [] };
      bytes = 0;
    }
    (cur[kind] as (MirrorMetric | KeyValue)[]).push(item);
    bytes += size;
  };
  for (const p of items.params) add("params", p, BATCH_LIMITS.params);
  for (const t of items.tags) add("tags", t, BATCH_LIMITS.tags);
  for (const m of items.metrics) add("metrics", m, BATCH_LIMITS.metrics);
  if (cur.metrics.length + cur.params.length + cur.tags.length > 0) out.push(cur);
  return out;
}
