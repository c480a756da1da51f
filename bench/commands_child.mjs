#!/usr/bin/env node
// The in-process side of bench/commands.mjs: each mode runs in its own Node process (started by
// bench/commands.mjs, which times it and reads its peak memory) and prints one JSON line.
//
//   node bench/commands_child.mjs bare-linear X.f64 Y.f64 FEATURES TRAIN_ROWS
//   node bench/commands_child.mjs bare-logistic X.f64 Y.f64 FEATURES TRAIN_ROWS
//   node bench/commands_child.mjs warm-train WORKSPACE CSV TARGET
//   node bench/commands_child.mjs log-metrics WORKSPACE CSV TARGET CALLS
//
// The tool calls go through runTool with a context made per call from the workspace folder, as the
// kernel's tool caller does (kernel/createToolCaller.ts), so what is timed is what a notebook waits for.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => pathToFileURL(join(repo, "dist", "src", p)).href;

/** The first `rows` rows of the float64 files (views on the read buffers: no second copy). */
function readRaw(xPath, yPath, features, rows) {
  const view = (buf) => new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const X = view(readFileSync(xPath)).subarray(0, rows * features);
  const y = view(readFileSync(yPath)).subarray(0, rows);
  if (y.length !== rows) throw new Error(`${yPath} holds ${y.length} rows, fewer than the ${rows} asked for`);
  return { X, y };
}

/** Two fits in a fresh process: the first cold (as a train_model call's fresh worker is), the second warm. */
async function bare(kind, xPath, yPath, features, rows) {
  const { X, y } = readRaw(xPath, yPath, features, rows);
  const { fitLinear } = await import(dist("models/linearRegression.js"));
  const { LogisticRegression } = await import(dist("models/LogisticRegression.js"));
  const fit = kind === "linear" ? () => fitLinear(X, y, rows, features) : () => LogisticRegression.fit({ data: X, rows, cols: features }, y);
  let t = performance.now();
  fit();
  const cold_s = (performance.now() - t) / 1000;
  t = performance.now();
  fit();
  const warm_s = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ cold_s, warm_s }));
}

async function tools(ws) {
  const { createToolContext, runTool } = await import(dist("index.js"));
  return async (name, input) => {
    const result = await runTool(name, input, () => createToolContext({ cwd: ws, origin: { via: "kernel" } }));
    if (!result.ok) throw new Error(`${name} ${JSON.stringify(input)} failed: ${JSON.stringify(result.error)}`);
    return result.output;
  };
}

/** load_dataset, then train_model twice: the second call is what re-running a notebook cell costs. */
async function warmTrain(ws, csv, target) {
  const call = await tools(ws);
  await call("load_dataset", { path: csv, dataset_id: "small" });
  const input = { dataset_id: "small", target, algorithm: "linear_regression" };
  let t = performance.now();
  await call("train_model", input);
  const first_s = (performance.now() - t) / 1000;
  t = performance.now();
  const second = await call("train_model", input);
  const warm_s = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ first_s, warm_s, timings: second.timings }));
}

/** A run to log to (made first, not timed), then `calls` log_metrics one after another, as a training loop in a notebook logs, and the fold that commits them. */
async function logMetrics(ws, csv, target, calls) {
  const call = await tools(ws);
  await call("load_dataset", { path: csv, dataset_id: "small" });
  const { run_id } = await call("train_model", { dataset_id: "small", target, algorithm: "linear_regression" });
  // The kernel defers folds (kernel/main.ts): each call appends, and the points are committed
  // before the kernel reports idle. That fold is counted here, as the kernel's user waits for it.
  const writer = await import(dist("runs/metricsWriter.js"));
  writer.deferMetricFolds();
  const t = performance.now();
  for (let i = 0; i < calls; i++) await call("log_metrics", { run_id, metrics: { loss: 1 / (i + 1) }, step: i });
  await writer.foldOwnMetrics();
  const per_call_ms = (performance.now() - t) / calls;
  console.log(JSON.stringify({ per_call_ms, calls }));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "bare-linear" || mode === "bare-logistic") await bare(mode.slice(5), args[0], args[1], Number(args[2]), Number(args[3]));
else if (mode === "warm-train") await warmTrain(args[0], args[1], args[2]);
else if (mode === "log-metrics") await logMetrics(args[0], args[1], args[2], Number(args[3]));
else throw new Error(`unknown mode ${mode}; the modes are bare-linear, bare-logistic, warm-train, log-metrics`);
