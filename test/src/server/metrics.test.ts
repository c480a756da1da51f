import { test } from "node:test";
import assert from "node:assert/strict";
import { createMetricsRecorder, type ObservedEndpoint, type RecorderClock } from "../../../src/server/metrics/createMetricsRecorder.js";
import { LATENCY_BOUNDS_NS, LATENCY_RELATIVE_ERROR, latencyBucket } from "../../../src/server/metrics/latencyBuckets.js";
import { mergeSnapshots } from "../../../src/server/metrics/mergeSnapshots.js";
import { MetricsSnapshot } from "../../../src/server/metrics/MetricsSnapshot.js";
import { renderPrometheus } from "../../../src/server/metrics/renderPrometheus.js";
import { renderServingStatus } from "../../../src/server/metrics/renderServingStatus.js";
import { ServingStatus } from "../../../src/server/ServingStatus.js";
import { parsePrometheusText, sampleValue } from "./metricsText.js";

/** A clock the test moves: the monotonic time in nanoseconds, against a wall clock that started at `wallStartMs`. */
function testClock(wallStartMs = 1_800_000_000_000) {
  let ns = 5_000_000_000n;
  const clock: RecorderClock = { wallMs: () => wallStartMs, monotonicNs: () => ns };
  return {
    clock,
    now: () => ns,
    advanceMs: (ms: number) => {
      ns += BigInt(Math.round(ms * 1e6));
    },
  };
}

const TEMP: ObservedEndpoint = { name: "temp", version: 1, alias: "production", protocol: "mlflow" };
const PINNED: ObservedEndpoint = { name: "temp", version: 1, alias: null, protocol: "mlflow" };

/** A request that took `ns` and ended now. */
function observe(r: ReturnType<typeof createMetricsRecorder>, now: bigint, e: ObservedEndpoint | undefined, status: number, ns: number): void {
  r.observe(e, status, now - BigInt(ns), now);
}

/** Deterministic durations, log-uniform between 15 µs and 8 s. */
function durations(n: number, seed: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(Math.round(15_000 * (8e9 / 15_000) ** (x / 2 ** 31)));
  }
  return out;
}

function nearestRank(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

test("a duration falls in the bucket whose bounds hold it: (bound[i-1], bound[i]], at every bound and between", () => {
  // The definition, one bound at a time.
  const byDefinition = (ns: number) => {
    let i = 0;
    while (i < LATENCY_BOUNDS_NS.length && ns > LATENCY_BOUNDS_NS[i]) i++;
    return i;
  };
  const values = [0, 1, 9_999, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3e10];
  for (const b of LATENCY_BOUNDS_NS) values.push(b - 1, b, b + 1);
  for (let ns = 1; ns < 2e10; ns = Math.floor(ns * 1.001) + 1) values.push(ns);
  for (const ns of values) assert.equal(latencyBucket(ns), byDefinition(ns), `${ns} ns`);
  assert.equal(latencyBucket(LATENCY_BOUNDS_NS.at(-1)! + 1), LATENCY_BOUNDS_NS.length);
});

test("the buckets are fine enough for percentiles within a few percent, and /status reports them within that error", () => {
  assert.ok(LATENCY_RELATIVE_ERROR > 0 && LATENCY_RELATIVE_ERROR < 0.03, `the buckets' error is ${LATENCY_RELATIVE_ERROR}`);
  for (const [n, seed] of [
    [1, 7],
    [2, 8],
    [99, 9],
    [1000, 10],
    [5000, 11],
  ]) {
    const t = testClock();
    const r = createMetricsRecorder(t.clock);
    const ds = durations(n, seed);
    for (const d of ds) observe(r, t.now(), TEMP, 200, d);
    const [status] = renderServingStatus(r.snapshot()).endpoints;
    const sorted = [...ds].sort((a, b) => a - b);
    for (const [q, got] of [
      [0.5, status.p50_ms],
      [0.99, status.p99_ms],
    ] as const) {
      const exact = nearestRank(sorted, q) / 1e6;
      assert.ok(got !== null && Math.abs(got / exact - 1) <= LATENCY_RELATIVE_ERROR + 1e-4, `n=${n}: p${q * 100} ${got} ms, exactly ${exact} ms`);
    }
    assert.equal(status.window_requests, n);
  }
});

test("counts per endpoint: requests, 4xx and 5xx, rows, first and last time; a request that reached no model is only in /metrics", () => {
  const t = testClock(1_800_000_000_000);
  const r = createMetricsRecorder(t.clock);
  observe(r, t.now(), { ...TEMP, rows: 3 }, 200, 200_000);
  t.advanceMs(1500);
  observe(r, t.now(), { ...TEMP, rows: 1 }, 200, 300_000);
  observe(r, t.now(), TEMP, 400, 50_000);
  observe(r, t.now(), TEMP, 503, 40_000);
  observe(r, t.now(), { ...PINNED, rows: 2 }, 200, 100_000);
  observe(r, t.now(), undefined, 404, 20_000);
  const status = ServingStatus.parse(renderServingStatus(r.snapshot()));
  assert.equal(status.started_at, new Date(1_800_000_000_000).toISOString());
  assert.equal(status.workers, 1);
  assert.deepEqual(
    status.endpoints.map((e) => [e.model_name, e.alias, e.version, e.requests, e.client_errors, e.server_errors, e.rows, e.window_requests]),
    [
      ["temp", "production", 1, 4, 1, 1, 4, 4],
      ["temp", null, 1, 1, 0, 0, 2, 1],
    ],
  );
  const [prod] = status.endpoints;
  assert.equal(prod.first_request_at, new Date(1_800_000_000_000).toISOString());
  assert.equal(prod.last_request_at, new Date(1_800_000_001_500).toISOString());
  const m = parsePrometheusText(renderPrometheus(r.snapshot()));
  const labels = { model: "temp", version: "1", alias: "production", protocol: "mlflow" };
  assert.equal(sampleValue(m, "dw_http_requests_total", { ...labels, code: "200" }), 2);
  assert.equal(sampleValue(m, "dw_http_requests_total", { ...labels, code: "503" }), 1);
  assert.equal(sampleValue(m, "dw_http_request_errors_total", { ...labels, class: "4xx" }), 1);
  assert.equal(sampleValue(m, "dw_http_request_errors_total", { ...labels, class: "5xx" }), 1);
  assert.equal(sampleValue(m, "dw_scored_rows_total", labels), 4);
  assert.equal(sampleValue(m, "dw_scored_rows_total", { ...labels, alias: "" }), 2);
  assert.equal(sampleValue(m, "dw_http_requests_total", { model: "", code: "404" }), 1);
  assert.equal(sampleValue(m, "dw_http_request_duration_seconds_count", labels), 4);
  assert.ok(Math.abs(sampleValue(m, "dw_http_request_duration_seconds_sum", labels) - 0.00059) < 1e-12);
  assert.equal(sampleValue(m, "process_start_time_seconds", {}), 1_800_000_000);
  assert.equal(sampleValue(m, "dw_uptime_seconds", {}), 1.5);
  assert.equal(sampleValue(m, "dw_serve_workers", {}), 1);
});

test("the Prometheus histogram counts exactly at its bounds (le is ≤), and escapes label values", () => {
  const t = testClock();
  const r = createMetricsRecorder(t.clock);
  const odd: ObservedEndpoint = { name: 'we"ird\\na\nme', version: 12, alias: "a\\b", protocol: "oip" };
  for (const ns of [1_000_000, 1_000_001, 99_999, 100_000, 100_001, 10_000_000_000, 10_000_000_001, 0]) observe(r, t.now(), odd, 200, ns);
  const text = renderPrometheus(r.snapshot());
  const m = parsePrometheusText(text);
  const labels = { model: 'we"ird\\na\nme', version: "12", alias: "a\\b", protocol: "oip" };
  const le = (bound: string) => sampleValue(m, "dw_http_request_duration_seconds_bucket", { ...labels, le: bound });
  assert.equal(le("0.0001"), 3);
  assert.equal(le("0.00025"), 4);
  assert.equal(le("0.001"), 5);
  assert.equal(le("0.0025"), 6);
  assert.equal(le("10"), 7);
  assert.equal(le("+Inf"), 8);
  assert.deepEqual(
    m
      .get("dw_http_request_duration_seconds")!
      .samples.filter((s) => s.name.endsWith("_bucket") && s.labels.model === labels.model)
      .map((s) => s.labels.le),
    ["0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"],
  );
  assert.match(text, /model="we\\"ird\\\\na\\nme",version="12",alias="a\\\\b"/);
  for (const f of m.values()) assert.ok(f.help && f.type !== "untyped", `${f.name} has HELP and TYPE`);
});

test("merging two processes' snapshots sums every count, and reads as one process that answered every request", () => {
  const t = testClock();
  const [a, b, both] = [createMetricsRecorder(t.clock), createMetricsRecorder(t.clock), createMetricsRecorder(t.clock)];
  const ds = durations(300, 3);
  ds.forEach((d, i) => {
    const e = i % 3 === 0 ? { ...PINNED, rows: 2 } : i % 5 === 0 ? undefined : { ...TEMP, rows: 1 };
    const status = i % 7 === 0 ? 400 : i % 11 === 0 ? 500 : 200;
    observe(i % 2 ? a : b, t.now(), e, status, d);
    observe(both, t.now(), e, status, d);
    t.advanceMs(10);
  });
  const merged = mergeSnapshots([a.snapshot(), b.snapshot()]);
  MetricsSnapshot.parse(merged);
  const one = both.snapshot();
  assert.equal(merged.workers, 2);
  const mergedStatus = renderServingStatus(merged);
  assert.deepEqual({ ...mergedStatus, workers: 1 }, renderServingStatus(one));
  assert.equal(mergedStatus.endpoints.reduce((n, e) => n + e.requests, 0) + 300 / 5 - 300 / 15, 300);
  const dropWorkers = (text: string) => text.replace(/^dw_serve_workers .*$/m, "");
  assert.equal(dropWorkers(renderPrometheus(merged)), dropWorkers(renderPrometheus(one)));
  // Merging is associative with itself: a merged snapshot merges again.
  const twice = mergeSnapshots([merged, merged]);
  assert.equal(renderServingStatus(twice).endpoints[0].requests, 2 * mergedStatus.endpoints[0].requests);
  assert.throws(() => mergeSnapshots([one, { ...one, buckets: "other" }]), /different layouts/);
});

test("the window holds the last minute only, while the totals keep everything; memory stays bounded however long it runs", () => {
  const t = testClock();
  const r = createMetricsRecorder(t.clock);
  for (let i = 0; i < 100; i++) observe(r, t.now(), TEMP, 200, 2_000_000_000);
  t.advanceMs(61_000);
  for (let i = 0; i < 50; i++) observe(r, t.now(), TEMP, 200, 1_000_000);
  let [e] = renderServingStatus(r.snapshot()).endpoints;
  assert.equal(e.requests, 150);
  assert.equal(e.window_requests, 50);
  assert.ok(Math.abs(e.p99_ms! / 1 - 1) <= LATENCY_RELATIVE_ERROR, `p99 ${e.p99_ms} ms`);
  assert.ok(e.window_seconds > 55 && e.window_seconds <= 60, `window ${e.window_seconds} s`);
  // Ten minutes of requests, one every 100 ms: the snapshot keeps 12 slices of window, not 6,000 samples.
  for (let i = 0; i < 6000; i++) {
    observe(r, t.now(), TEMP, 200, 1_000_000 + i * 1000);
    t.advanceMs(100);
  }
  const snap = r.snapshot();
  assert.ok(snap.series[0].window.length <= 12);
  assert.ok(JSON.stringify(snap).length < 40_000, `a snapshot of ${JSON.stringify(snap).length} characters`);
  [e] = renderServingStatus(snap).endpoints;
  assert.ok(e.window_requests >= 550 && e.window_requests <= 600, `${e.window_requests} requests in the window`);
  t.advanceMs(120_000);
  [e] = renderServingStatus(r.snapshot()).endpoints;
  assert.equal(e.window_requests, 0);
  assert.equal(e.p50_ms, null);
  assert.equal(e.requests, 6150);
});
