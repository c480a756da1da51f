#!/usr/bin/env node
// log_metrics per call against MLflow's file store in the same run (issue 18: ≤ 2 ms per call).
//
//   node bench/logMetrics.mjs [--calls N] [--committed K]   (after `npx tsc -p .`)
//
// dw, in this process, on one run trained on seattle-weather:
//   deferred: as the kernel calls it (deferMetricFolds): N calls (default 1000) of
//     runTool("log_metrics", {run_id, metrics: {loss, acc}}), then the fold that commits them (what
//     the kernel does before it reports idle): the time per call includes that fold.
//   per call: K calls (default 30) in a process that does not defer: one commit each, as the CLI,
//     the HTTP API and MCP make them.
// MLflow: .venv-bench's python (npm run bench sets it up), `mlflow.log_metrics({loss, acc}, step=i)` N times in one run of a file
//   store (mlruns/ in a temp folder), timed inside the process, import and start_run excluded.
// The points committed must equal the points logged, or the bench fails.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { reportTargets } from "./lib/targets.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argAt = (name, fallback) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const CALLS = argAt("--calls", 1000);
const COMMITTED = argAt("--committed", 30);

const { createToolContext, runTool } = await import(join(repo, "dist/src/index.js"));
const writer = await import(join(repo, "dist/src/runs/metricsWriter.js"));
const { readCommittedMetricsLog } = await import(join(repo, "dist/src/runs/readMetricsLog.js"));

const dir = mkdtempSync(join(tmpdir(), "dw-bench-logmetrics-"));
try {
  execFileSync("git", ["init", "-q", dir]);
  const ctx = await createToolContext({ cwd: dir, origin: { via: "bench" } });
  const out = (r) => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.output;
  };
  const weather = join(repo, "node_modules/vega-datasets/data/seattle-weather.csv");
  out(await runTool("load_dataset", { path: weather, dataset_id: "weather" }, ctx));
  const runId = out(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"] }, ctx)).run_id;

  // Per call (one commit each): the default outside the kernel.
  let t = performance.now();
  for (let i = 0; i < COMMITTED; i++) out(await runTool("log_metrics", { run_id: runId, metrics: { loss: 1 / (i + 1), acc: i / COMMITTED } }, ctx));
  const perCallMs = (performance.now() - t) / COMMITTED;

  // Deferred, as in the kernel, with the fold at the end counted.
  writer.deferMetricFolds();
  t = performance.now();
  for (let i = 0; i < CALLS; i++) out(await runTool("log_metrics", { run_id: runId, metrics: { loss: 1 / (i + 1), acc: i / CALLS } }, ctx));
  const appendedMs = performance.now() - t;
  await writer.foldOwnMetrics(ctx.workspace);
  const deferredMs = (performance.now() - t) / CALLS;

  const head = await ctx.workspace.readRef(`refs/dw/runs/${runId}`);
  const committed = await readCommittedMetricsLog(ctx.workspace, head);
  if (committed.length !== 2 * (COMMITTED + CALLS)) throw new Error(`${committed.length} points committed, ${2 * (COMMITTED + CALLS)} logged`);

  const python = [join(repo, ".venv-bench/bin/python"), join(repo, ".venv/bin/python")].find((p) => p && existsSync(p));
  let mlflowMs;
  if (python) {
    const script = `
import time, sys, mlflow
mlflow.set_tracking_uri("file://" + sys.argv[1])
n = int(sys.argv[2])
with mlflow.start_run():
    t = time.perf_counter()
    for i in range(n):
        mlflow.log_metrics({"loss": 1 / (i + 1), "acc": i / n}, step=i)
    print((time.perf_counter() - t) * 1000 / n)
`;
    mlflowMs = Number(
      execFileSync(python, ["-c", script, join(dir, "mlruns"), String(CALLS)], {
        encoding: "utf8",
        env: { ...process.env, MLFLOW_ENABLE_ASYNC_LOGGING: "false", MLFLOW_ALLOW_FILE_STORE: "true" },
      })
        .trim()
        .split("\n")
        .pop(),
    );
  }

  const ms = (x) => `${x.toFixed(2)} ms`;
  console.log(
    `log_metrics, 2 metrics a call: deferred ${CALLS} calls (appends ${ms(appendedMs / CALLS)} a call, then one fold), per call ${COMMITTED} commits`,
  );
  reportTargets("log_metrics per call", [
    {
      what: `dw, as the kernel calls it (${CALLS} calls + their fold)`,
      measured: `${ms(deferredMs)}${mlflowMs ? ` (${(deferredMs / mlflowMs).toFixed(2)}× MLflow's ${ms(mlflowMs)})` : ""}`,
      target: "≤ 2 ms",
      ok: deferredMs <= 2,
    },
    {
      what: "dw, one commit per call (CLI, HTTP API, MCP)",
      measured: `${ms(perCallMs)}${mlflowMs ? ` (${(perCallMs / mlflowMs).toFixed(1)}× MLflow)` : ""}`,
      target: "—",
      ok: true,
    },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
