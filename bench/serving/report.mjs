// The tables bench/serving.mjs prints and, with --write, puts into docs/benchmarks.md between
// <!-- serving:start --> and <!-- serving:end -->.
import { readFileSync, writeFileSync } from "node:fs";

const f1 = (x) => (x == null || !Number.isFinite(x) ? "—" : x.toFixed(1));
const f2 = (x) => (x == null || !Number.isFinite(x) ? "—" : x.toFixed(2));
const int = (x) => (x == null || !Number.isFinite(x) ? "—" : Math.round(x).toLocaleString("en-US"));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : "—");
const failed = (r) => r.non2xx + r.errors + r.mismatches;
/** CPU ms of the server's process tree per answered request. */
export const cpuPerRequest = (r) => (r.serverCpuMs != null && r.requests > 0 ? r.serverCpuMs / r.requests : null);

/** The closed-loop table: one line per case, MLflow with one worker and with one per core beside dw. */
export function closedTable(cases, workers) {
  const head = [
    "model",
    "rows/req",
    "conc.",
    "MLflow 1 worker rps",
    `MLflow ${workers} workers rps`,
    "dw rps",
    "dw ÷ MLflow 1 w.",
    `dw ÷ MLflow ${workers} w.`,
    "p50 / p99 ms: MLflow 1 w.",
    `MLflow ${workers} w.`,
    "dw",
    `CPU ms/req: MLflow 1 w. / ${workers} w. / dw`,
    "failed requests",
  ];
  const lines = cases.map(({ model, rows, concurrency, one, many, dw }) => {
    const lat = (r) => `${f2(r.latencyMs?.p50)} / ${f2(r.latencyMs?.p99)}`;
    return [
      model,
      rows,
      concurrency,
      int(one.rps),
      int(many.rps),
      int(dw.rps),
      ratio(dw.rps, one.rps),
      ratio(dw.rps, many.rps),
      lat(one),
      lat(many),
      lat(dw),
      `${f2(cpuPerRequest(one))} / ${f2(cpuPerRequest(many))} / ${f2(cpuPerRequest(dw))}`,
      failed(one) + failed(many) + failed(dw),
    ];
  });
  return markdown(head, lines, 3);
}

/** The open-loop table: latency at a fixed rate of arrivals. */
export function openTable(runs) {
  const head = ["server", "model", "rate (req/s)", "answered", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "p99 from schedule ms", "failed requests"];
  const lines = runs.map(({ server, model, r }) => [
    server,
    model,
    int(r.rate),
    int(r.requests),
    f2(r.latencyMs?.p50),
    f2(r.latencyMs?.p99),
    f2(r.latencyMs?.p999),
    f2(r.latencyMs?.max),
    f2(r.scheduleLatencyMs?.p99),
    failed(r),
  ]);
  return markdown(head, lines, 2);
}

/** The soak: what was sent, what failed, and the server's resident memory before, at its peak and after. */
export function soakTable(soak) {
  const { r, rss } = soak;
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  const head = ["seconds", "rate (req/s)", "answered", "non-2xx", "errors", "wrong answers", "p50 / p99 ms", "RSS before", "RSS peak", "RSS after (10 s idle)"];
  const line = [
    f1(r.seconds),
    int(r.rate),
    int(r.requests),
    r.non2xx,
    r.errors,
    r.mismatches,
    `${f2(r.latencyMs?.p50)} / ${f2(r.latencyMs?.p99)}`,
    mb(rss.before),
    mb(rss.peak),
    `${mb(rss.after)} (${rss.after >= rss.before ? "+" : ""}${(((rss.after - rss.before) / rss.before) * 100).toFixed(1)}%)`,
  ];
  return markdown(head, [line], 0);
}

function markdown(head, lines, textColumns) {
  const align = head.map((_, i) => (i < textColumns ? "---" : "---:"));
  return [head, align, ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** Puts `text` between the serving markers of docs/benchmarks.md. */
export function writeDocs(file, text) {
  const doc = readFileSync(file, "utf8");
  const start = "<!-- serving:start -->";
  const end = "<!-- serving:end -->";
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} has no ${start} … ${end} section to write into`);
  writeFileSync(file, `${doc.slice(0, a + start.length)}\n${text}\n${doc.slice(b)}`);
}
