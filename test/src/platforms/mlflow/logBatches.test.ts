import { test } from "node:test";
import assert from "node:assert/strict";
import { BATCH_LIMITS, logBatches } from "../../../../src/platforms/mlflow/logBatches.js";

test("log-batch bodies stay within MLflow's limits and carry every item once, params first", () => {
  const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: `m${i % 7}`, value: i / 3, timestamp: 1_800_000_000_000 + i, step: i }));
  const params = Array.from({ length: 230 }, (_, i) => ({ key: `p${i}`, value: "x".repeat(5000) }));
  const tags = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: `v${i}` }));
  const batches = logBatches({ metrics, params, tags });
  for (const b of batches) {
    assert.ok(b.metrics.length <= BATCH_LIMITS.metrics);
    assert.ok(b.params.length <= BATCH_LIMITS.params);
    assert.ok(b.tags.length <= BATCH_LIMITS.tags);
    assert.ok(b.metrics.length + b.params.length + b.tags.length <= BATCH_LIMITS.entities);
    assert.ok(Buffer.byteLength(JSON.stringify({ run_id: "0123456789abcdef0123456789abcdef", ...b })) < BATCH_LIMITS.bytes);
  }
  assert.deepEqual(
    batches.flatMap((b) => b.metrics),
    metrics,
  );
  assert.deepEqual(
    batches.flatMap((b) => b.params),
    params,
  );
  assert.deepEqual(
    batches.flatMap((b) => b.tags),
    tags,
  );
  const firstMetricBatch = batches.findIndex((b) => b.metrics.length > 0);
  assert.ok(
    batches.slice(firstMetricBatch + 1).every((b) => b.params.length === 0),
    "no param after the first metric",
  );
  assert.deepEqual(logBatches({ metrics: [], params: [], tags: [] }), []);
});
