import { LATENCY_BOUNDS_NS, PROMETHEUS_BOUNDS_NS } from "./latencyBuckets.js";
import type { MetricsSnapshot, SeriesSnapshot } from "./MetricsSnapshot.js";
import { compareSeries, sumCodes } from "./series.js";

/** The content type of /metrics: Prometheus' text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** For each bound of /metrics' histogram, the index of the same bound among the fine buckets' bounds. */
const COARSE_INDEX = PROMETHEUS_BOUNDS_NS.map((b) => {
  const i = LATENCY_BOUNDS_NS.indexOf(b);
  if (i < 0) throw new Error(`The Prometheus bound ${b} ns is not a latency bucket bound.`);
  return i;
});

/**
 * `GET /metrics` from a (merged) snapshot, in Prometheus' text format 0.0.4: per endpoint (labels
 * model, version, alias, protocol; all empty for requests that reached no model, alias empty for
 * a pinned version) the requests by status code, the 4xx and 5xx errors, the rows scored and a
 * latency histogram; then when the server started, how long it has run and how many processes
 * answer. Every family's samples are together after its HELP and TYPE lines.
 */
export function renderPrometheus(snap: MetricsSnapshot): string {
  const out: string[] = [];
  const series = [...snap.series].sort(compareSeries);
  const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);

  family("dw_http_requests_total", "counter", "Requests answered, by endpoint and HTTP status code (model empty: the request reached no model).");
  for (const s of series) for (const [code, n] of s.codes) out.push(`dw_http_requests_total{${labels(s)},code="${code}"} ${n}`);

  family("dw_http_request_errors_total", "counter", "Requests answered with a client error (class 4xx) or a server error (class 5xx), by endpoint.");
  for (const s of series) {
    out.push(`dw_http_request_errors_total{${labels(s)},class="4xx"} ${sumCodes(s, 400, 499)}`);
    out.push(`dw_http_request_errors_total{${labels(s)},class="5xx"} ${sumCodes(s, 500, 599)}`);
  }

  family("dw_scored_rows_total", "counter", "Rows scored, by endpoint.");
  for (const s of series) if (s.endpoint) out.push(`dw_scored_rows_total{${labels(s)}} ${s.rows}`);

  const h = "dw_http_request_duration_seconds";
  family(h, "histogram", "Time from a request's arrival to the end of its answer, in seconds, by endpoint.");
  for (const s of series) {
    const l = labels(s);
    const fine = new Float64Array(LATENCY_BOUNDS_NS.length + 1);
    for (const [i, n] of s.latency.buckets) fine[i] += n;
    let below = 0;
    let next = 0;
    for (let k = 0; k < COARSE_INDEX.length; k++) {
      for (; next <= COARSE_INDEX[k]; next++) below += fine[next];
      out.push(`${h}_bucket{${l},le="${PROMETHEUS_BOUNDS_NS[k] / 1e9}"} ${below}`);
    }
    const count = sumCodes(s, 0, Number.POSITIVE_INFINITY);
    out.push(`${h}_bucket{${l},le="+Inf"} ${count}`, `${h}_sum{${l}} ${s.latency.sum_seconds}`, `${h}_count{${l}} ${count}`);
  }

  family("process_start_time_seconds", "gauge", "When the server's first process started, in seconds since the Unix epoch.");
  out.push(`process_start_time_seconds ${snap.started_at_ms / 1000}`);
  family("dw_uptime_seconds", "gauge", "Seconds since the server's first process started.");
  out.push(`dw_uptime_seconds ${Math.max(0, snap.taken_at_ms - snap.started_at_ms) / 1000}`);
  family("dw_serve_workers", "gauge", "Processes answering requests.");
  out.push(`dw_serve_workers ${snap.workers}`);
  return out.join("\n") + "\n";
}

function labels(s: SeriesSnapshot): string {
  const e = s.endpoint;
  if (e === null) return 'model="",version="",alias="",protocol=""';
  return `model="${escapeLabel(e.name)}",version="${e.version}",alias="${escapeLabel(e.alias ?? "")}",protocol="${e.protocol}"`;
}

/** A label value as the text format escapes it: backslash, double quote and line feed. */
export function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/** HELP text as the text format escapes it: backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));
}
