import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { rawRequest, score, servedWorkspace, TEMP_ROW, type ServedWorkspace } from "./serverFixture.js";
import { counterValue, parsePrometheusText, sampleValue, type Family, type Sample } from "./metricsText.js";
import { python } from "../models/sklearnReference.js";
import { ServingStatus } from "../../../src/server/ServingStatus.js";
import { LATENCY_RELATIVE_ERROR } from "../../../src/server/metrics/latencyBuckets.js";

/**
 * /metrics and /status of a real `dw serve` (started by deploy_model) after MLflow and OIP requests of every
 * kind: the counts are exact per model, version and alias, over every worker process, the text is valid Prometheus 0.0.4 (to
 * a strict reader and to prometheus_client's), and the percentiles agree with what clients timed.
 */
let sw: ServedWorkspace;
let base: string;

// Two worker processes, whatever the machine's cores: every count below is then a merge of both workers'.
const WORKERS = 2;

before(async () => {
  const previous = process.env.DW_SERVE_WORKERS;
  process.env.DW_SERVE_WORKERS = String(WORKERS);
  try {
    sw = await servedWorkspace();
  } finally {
    if (previous === undefined) delete process.env.DW_SERVE_WORKERS;
    else process.env.DW_SERVE_WORKERS = previous;
  }
  base = sw.base;
});
after(async () => sw.tw.cleanup());

async function metrics(): Promise<{ text: string; families: Map<string, Family> }> {
  const r = await rawRequest(base, { path: "/metrics" });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  return { text: r.body, families: parsePrometheusText(r.body) };
}

async function status(): Promise<ServingStatus> {
  const r = await rawRequest(base, { path: "/status" });
  assert.equal(r.status, 200, r.body);
  assert.match(String(r.headers["content-type"]), /^application\/json/);
  return ServingStatus.parse(JSON.parse(r.body));
}

const records = (n: number) => ({ dataframe_records: Array.from({ length: n }, (_, i) => ({ precipitation: i, temp_min: 5, wind: 4.7 })) });
const OIP_TWO_ROWS = {
  inputs: ["precipitation", "temp_min", "wind"].map((name) => ({ name, datatype: "FP64", shape: [2], data: [1, 2] })),
};
const TW_ROWS = {
  dataframe_records: [
    { precipitation: 0, temp_min: 5, wind: 4.7, weather: "sun" },
    { precipitation: 3, temp_min: 2, wind: 1, weather: "rain" },
  ],
};

test("after ok, 400 and 404 requests, /metrics and /status count each exactly, per model, version and alias", async () => {
  const before = await metrics();
  const noModel = (code: string) => counterValue(before.families, "dw_http_requests_total", { model: "", code });
  const send = async (path: string, body: unknown, expected: number, times = 1) => {
    for (let i = 0; i < times; i++) {
      const r = await score(base, path, body);
      assert.equal(r.status, expected, `${path}: ${r.text}`);
    }
  };
  await send("/models/temp@production/invocations", TEMP_ROW, 200, 5);
  await send("/models/temp@production/invocations", records(3), 200, 2);
  await send("/models/temp/1/invocations", TEMP_ROW, 200, 3);
  await send("/models/tw@production/invocations", TW_ROWS, 200, 2);
  // The Open Inference Protocol on the same model and alias: its own series (protocol="oip").
  await send("/v2/models/temp/infer", OIP_TWO_ROWS, 200, 2);
  await send("/v2/models/temp/infer", { ...OIP_TWO_ROWS, outputs: [{ name: "no_such_output" }] }, 400);
  // 400s once the model was found (a list of bare values for a three-input model; a word in a number column): counted under it.
  await send("/models/temp@production/invocations", { instances: [1, 2] }, 400, 2);
  await send("/models/temp/1/invocations", { dataframe_records: [{ precipitation: "much", temp_min: 5, wind: 4.7 }] }, 400);
  // 400 before any model was looked up, and 404s: counted under no model.
  await send("/models/temp@production/invocations", "{not json", 400, 2);
  await send("/models/nope@production/invocations", TEMP_ROW, 404, 2);
  await send("/models/temp@staging/invocations", TEMP_ROW, 404);
  assert.equal((await rawRequest(base, { path: "/no/such/route" })).status, 404);

  const after = await metrics();
  const m = after.families;
  const prod = { model: "temp", version: "1", alias: "production", protocol: "mlflow" };
  const pinned = { ...prod, alias: "" };
  const tw = { ...prod, model: "tw" };
  const oip = { ...prod, protocol: "oip" };
  const expected: [Record<string, string>, number, number, number][] = [
    // labels, 200s, 400s, rows
    [prod, 7, 2, 11],
    [pinned, 3, 1, 3],
    [tw, 2, 0, 4],
    [oip, 2, 1, 4],
  ];
  for (const [labels, ok, bad, rows] of expected) {
    const at = JSON.stringify(labels);
    assert.equal(sampleValue(m, "dw_http_requests_total", { ...labels, code: "200" }), ok, at);
    assert.equal(counterValue(m, "dw_http_requests_total", { ...labels, code: "400" }), bad, at);
    assert.equal(sampleValue(m, "dw_http_request_errors_total", { ...labels, class: "4xx" }), bad, at);
    assert.equal(sampleValue(m, "dw_http_request_errors_total", { ...labels, class: "5xx" }), 0, at);
    assert.equal(sampleValue(m, "dw_scored_rows_total", labels), rows, at);
    assert.equal(sampleValue(m, "dw_http_request_duration_seconds_count", labels), ok + bad, at);
    assert.equal(sampleValue(m, "dw_http_request_duration_seconds_bucket", { ...labels, le: "+Inf" }), ok + bad, at);
    assert.ok(sampleValue(m, "dw_http_request_duration_seconds_sum", labels) > 0, at);
  }
  // Exactly these three endpoints, and in /metrics only the requests that reached no model besides.
  const endpoints = new Set(m.get("dw_http_requests_total")!.samples.map((s) => JSON.stringify([s.labels.model, s.labels.alias, s.labels.protocol])));
  assert.deepEqual(
    [...endpoints].sort(),
    [
      ["", "", ""],
      ["temp", "", "mlflow"],
      ["temp", "production", "mlflow"],
      ["temp", "production", "oip"],
      ["tw", "production", "mlflow"],
    ]
      .map((x) => JSON.stringify(x))
      .sort(),
  );
  const grew = (code: string) => counterValue(m, "dw_http_requests_total", { model: "", code }) - noModel(code);
  // The first GET /metrics itself is a 200 that reached no model.
  assert.deepEqual([grew("200"), grew("400"), grew("404")], [1, 2, 4]);
  assert.equal(sampleValue(m, "dw_serve_workers", {}), WORKERS);
  const started = sampleValue(m, "process_start_time_seconds", {});
  assert.ok(started <= Date.now() / 1000 && started > Date.now() / 1000 - 600, `started at ${started}`);
  assert.ok(sampleValue(m, "dw_uptime_seconds", {}) >= 0);

  // prometheus_client, the reference Python client (installed with jupyter_server), reads the same families and samples.
  const key = (x: Sample) => JSON.stringify([x.name, Object.entries(x.labels).sort(), x.value]);
  const theirs = await prometheusClientReads(after.text);
  assert.deepEqual(
    theirs.map(([name, type]) => [name, type]),
    [...m.values()].map((f) => [f.type === "counter" ? f.name.replace(/_total$/, "") : f.name, f.type]),
  );
  assert.deepEqual(
    theirs.flatMap(([, , samples]) => samples.map(([name, labels, value]) => key({ name, labels, value }))).sort(),
    [...m.values()].flatMap((f) => f.samples.map(key)).sort(),
  );

  const s = await status();
  assert.equal(s.workers, WORKERS);
  assert.deepEqual(
    s.endpoints.map((e) => [e.model_name, e.alias, e.version, e.protocol, e.requests, e.client_errors, e.server_errors, e.rows, e.window_requests]),
    [
      ["temp", "production", 1, "mlflow", 9, 2, 0, 11, 9],
      ["temp", "production", 1, "oip", 3, 1, 0, 4, 3],
      ["temp", null, 1, "mlflow", 4, 1, 0, 3, 4],
      ["tw", "production", 1, "mlflow", 2, 0, 0, 4, 2],
    ],
  );
  for (const e of s.endpoints) {
    assert.ok(e.first_request_at <= e.last_request_at && e.last_request_at <= new Date().toISOString());
    assert.ok(e.p50_ms !== null && e.p99_ms !== null && e.p50_ms > 0 && e.p50_ms <= e.p99_ms, `${e.p50_ms} ≤ ${e.p99_ms}`);
    assert.ok(e.window_seconds > 0 && e.window_seconds <= 60);
  }
  assert.ok(Date.parse(s.started_at) <= Date.now());
});

test("/status percentiles lie within the buckets' error of the times the clients measured", async () => {
  // Each client sends its headers, waits for 100 Continue (the server has the request), then
  // holds the body back for a while: the server's time lies between that wait and the client's whole time.
  const waited: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await delayedRequest("/models/tw/1/invocations", JSON.stringify(TW_ROWS), 20 + 10 * i);
    assert.equal(r.status, 200);
    waited.push(r.waitedNs);
    total.push(r.totalNs);
  }
  waited.sort((a, b) => a - b);
  total.sort((a, b) => a - b);
  const [e] = (await status()).endpoints.filter((x) => x.model_name === "tw" && x.alias === null);
  assert.equal(e.requests, 20);
  assert.equal(e.window_requests, 20);
  // Nearest rank: p50 is the 10th of 20, p99 the 20th. Node writes 100 Continue and then calls the
  // handler, which reads the clock: on a loaded machine (CI runs two test files at once on two cores)
  // the server can be descheduled in between, so 10 ms of slack below; the delays are 10 ms apart.
  for (const [p, rank] of [
    [e.p50_ms, 10],
    [e.p99_ms, 20],
  ] as const) {
    const low = (waited[rank - 1] - 10e6) / 1e6 / (1 + LATENCY_RELATIVE_ERROR);
    const high = (total[rank - 1] / 1e6) * (1 + LATENCY_RELATIVE_ERROR);
    assert.ok(p !== null && p >= low && p <= high, `rank ${rank}: the server says ${p} ms, the clients waited ${low} and took ${high} ms`);
  }
});

test("/metrics and /status answer GET only", async () => {
  for (const path of ["/metrics", "/status"]) {
    const r = await rawRequest(base, { method: "POST", path, headers: { "Content-Type": "application/json" }, body: "{}" });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, "GET");
  }
});

/** prometheus_client's reading of a /metrics text: [family name, type, [sample name, labels, value][]][]. */
function prometheusClientReads(text: string): Promise<[string, string, [string, Record<string, string>, number][]][]> {
  const script =
    "import sys, json\nfrom prometheus_client.parser import text_string_to_metric_families as read\n" +
    "print(json.dumps([[f.name, f.type, [[s.name, s.labels, s.value] for s in f.samples]] for f in read(sys.stdin.read())]))";
  return new Promise((resolve, reject) => {
    const p = spawn(python, ["-c", script], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    p.stderr.on("data", (d: Buffer) => {
      err += d;
    });
    p.on("error", reject);
    p.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`prometheus_client failed (${code}): ${err}`))));
    p.stdin.end(text);
  });
}

/**
 * A POST whose body follows its headers after `delayMs`, counted from the server's 100 Continue;
 * returns how long the client held the body back after it (waitedNs) and how long the whole
 * request took from before its headers were sent (totalNs).
 */
function delayedRequest(path: string, body: string, delayMs: number): Promise<{ status: number; waitedNs: number; totalNs: number }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let continued = 0n;
    let sent = 0n;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path,
        agent: false,
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Expect: "100-continue" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, waitedNs: Number(sent - continued), totalNs: Number(process.hrtime.bigint() - start) }));
        res.on("error", reject);
      },
    );
    req.on("continue", () => {
      continued = process.hrtime.bigint();
      setTimeout(() => {
        sent = process.hrtime.bigint();
        req.end(body);
      }, delayMs);
    });
    req.on("error", reject);
    req.flushHeaders();
  });
}
