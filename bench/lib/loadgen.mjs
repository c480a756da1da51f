#!/usr/bin/env node
// An HTTP load generator, run as its own process so that the load it makes does not share an
// event loop (or a core's time slices, as far as the OS allows) with the server it measures.
//
//   node bench/lib/loadgen.mjs ['<spec as JSON>']    (else the spec on stdin); prints one JSON result line
//
// spec: {
//   url: "http://127.0.0.1:PORT",            the server
//   requests: [{ path, body, expect? }],     POSTed as application/json, taken in turn (a shared counter)
//   mode: "closed" | "open",
//   concurrency: N,                          closed: N requests in flight, each sent as the last answered
//   rate: R,                                 open: R requests/s on a fixed schedule, whatever the answers
//   seconds, warmupSeconds,                  measured time, after a warm-up (same load, not counted)
//   check: true,                             parse every answer and compare its predictions with `expect`
//   tolerance: 1e-9,                         absolute, per prediction
//   serverPid: PID,                          measure this process tree's CPU over the measured time
// }
// result: { requests, ok, non2xx, errors, mismatches, statuses, problems (first 5), seconds, rps,
//   latencyMs { p50, p90, p99, p999, max, mean } from send to the answer's last byte,
//   scheduleLatencyMs (open) the same from the time the schedule meant to send, which adds the
//   generator's own lateness (so neither hides a stall: coordinated omission),
//   maxInFlight, serverCpuMs, loadgenCpuMs }.
// Open mode never waits for an answer to send the next request, so a slow server meets a growing
// queue as it would in production; requests still in flight at the end are awaited (30 s at most).
import http from "node:http";
import { pathToFileURL } from "node:url";
import { cpuBetween, cpuSnapshot } from "./processTree.mjs";

const TIMEOUT_MS = 30_000;

/** Runs the load `spec` describes and answers its result (see the file's comment). */
export async function runLoad(spec) {
  const url = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.mode === "closed" ? spec.concurrency : 512 });
  const requests = spec.requests.map((r) => ({
    path: r.path,
    body: Buffer.from(typeof r.body === "string" ? r.body : JSON.stringify(r.body)),
    expect: r.expect,
  }));
  let next = 0;
  const send = (stats, scheduledAt) => {
    const r = requests[next++ % requests.length];
    const sentAt = process.hrtime.bigint();
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    return new Promise((resolve) => {
      const done = (problem, status) => {
        const end = process.hrtime.bigint();
        stats.inFlight--;
        stats.requests++;
        if (status !== undefined) stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
        if (problem) {
          if (status === undefined) stats.errors++;
          else if (status < 200 || status > 299) stats.non2xx++;
          else stats.mismatches++;
          if (stats.problems.length < 5) stats.problems.push(problem);
        } else stats.ok++;
        stats.latency.push(Number(end - sentAt) / 1e6);
        if (scheduledAt !== undefined) stats.scheduleLatency.push(Number(end - scheduledAt) / 1e6);
        resolve();
      };
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: r.path,
          agent,
          headers: { "Content-Type": "application/json", "Content-Length": r.body.length },
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks = [];
          const keep = spec.check || status < 200 || status > 299;
          res.on("data", (c) => keep && chunks.push(c));
          res.on("error", (e) => done(`response ${r.path}: ${e.message}`));
          res.on("end", () => {
            const text = keep ? Buffer.concat(chunks).toString("utf8") : "";
            if (status < 200 || status > 299) return done(`${status} from ${r.path}: ${text.slice(0, 300)}`, status);
            done(spec.check ? mismatch(text, r.expect, spec.tolerance ?? 1e-9, r.path) : null, status);
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on("error", (e) => done(`${r.path}: ${e.message}`));
      req.end(r.body);
    });
  };

  const phase = async (seconds, measure) => {
    const stats = {
      requests: 0,
      ok: 0,
      non2xx: 0,
      errors: 0,
      mismatches: 0,
      statuses: {},
      problems: [],
      latency: [],
      scheduleLatency: [],
      inFlight: 0,
      maxInFlight: 0,
    };
    const cpu0 = measure && spec.serverPid ? cpuSnapshot(spec.serverPid) : null;
    const own0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(seconds * 1e9));
    if (spec.mode === "closed") {
      const worker = async () => {
        while (process.hrtime.bigint() < end) await send(stats);
      };
      await Promise.all(Array.from({ length: spec.concurrency }, worker));
    } else {
      await openLoop(spec.rate, start, end, stats, send);
    }
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    const serverCpuMs = cpu0 ? cpuBetween(cpu0, cpuSnapshot(spec.serverPid)) : null;
    const own = process.cpuUsage(own0);
    return { stats, elapsed, serverCpuMs, loadgenCpuMs: (own.user + own.system) / 1000 };
  };

  if (spec.warmupSeconds > 0) await phase(spec.warmupSeconds, false);
  const { stats, elapsed, serverCpuMs, loadgenCpuMs } = await phase(spec.seconds, true);
  agent.destroy();
  return {
    mode: spec.mode,
    concurrency: spec.concurrency ?? null,
    rate: spec.rate ?? null,
    requests: stats.requests,
    ok: stats.ok,
    non2xx: stats.non2xx,
    errors: stats.errors,
    mismatches: stats.mismatches,
    statuses: stats.statuses,
    problems: stats.problems,
    seconds: elapsed,
    rps: stats.requests / elapsed,
    latencyMs: summary(stats.latency),
    scheduleLatencyMs: spec.mode === "open" ? summary(stats.scheduleLatency) : null,
    maxInFlight: stats.maxInFlight,
    serverCpuMs,
    loadgenCpuMs,
  };
}

/**
 * Sends request i at start + i/rate. A 1 ms timer wakes the loop, and each wake sends every request
 * now due, each stamped with the time it was due, so the generator's own lateness is counted in
 * scheduleLatencyMs rather than hidden.
 */
async function openLoop(rate, start, end, stats, send) {
  const pending = new Set();
  const total = Math.floor((Number(end - start) / 1e9) * rate);
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = process.hrtime.bigint();
      const due = Math.min(total, Math.floor((Number(now - start) / 1e9) * rate) + 1);
      while (sent < due) {
        const scheduledAt = start + BigInt(Math.round((sent / rate) * 1e9));
        const p = send(stats, scheduledAt);
        pending.add(p);
        p.then(() => pending.delete(p));
        sent++;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
}

/** Why an answer's predictions differ from `expect` (by more than `tolerance`), or null when they agree. */
function mismatch(text, expect, tolerance, path) {
  if (expect === undefined) return null;
  let got;
  try {
    got = JSON.parse(text).predictions;
  } catch {
    return `${path}: the answer is not JSON`;
  }
  if (!Array.isArray(got) || got.length !== expect.length) return `${path}: ${Array.isArray(got) ? got.length : "no"} predictions, expected ${expect.length}`;
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - expect[i]) <= tolerance)) return `${path}: prediction ${i} is ${got[i]}, expected ${expect[i]}`;
  }
  return null;
}

/** Percentiles (nearest rank) of latencies in ms. */
export function summary(values) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1], mean: sum / sorted.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The spec from the argument, else from stdin (a spec with many 100-row bodies outgrows an argument).
  let text = process.argv[2];
  if (text === undefined) {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    text = Buffer.concat(chunks).toString("utf8");
  }
  const result = await runLoad(JSON.parse(text));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
