#!/usr/bin/env node
// What the dw sidebar costs while it is open (issue 16): it asks the kernel for the whole state
// every 3 s (get_workspace_state, get_ml_status, list_runs, get_gate_reports, suggest_next_steps
// in one comm answer). Against what MLflow's UI fetches to show the newest runs and the registered
// models of the same workspace from a real `mlflow server` (dw mlflow sync mirrors it there).
//
//   node bench/sidebar.mjs [--polls N] [--write]   (after `npx tsc -p .`)
//
// The workspace is bench/sharing.mjs's (200 runs with logged metrics, 50 versions over 5 models,
// each model's newest version at @production; built once and cached), copied to a temporary folder.
//   dw: the kernel's own comms (dist/kernel/comms.js) over the kernel's real tool caller, in this
//     process as in the kernel: the first get_state (cold caches), then N polls (default 30): p50,
//     p90, and the state message's size.
//   MLflow: runs/search (the 20 newest runs of the experiment, as the Runs panel shows 20) plus
//     registered-models/search plus model-versions/search of each model, one after another, N times.
// --write puts the table into docs/benchmarks.md.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { registryWorkspace } from "./sharing/registryWorkspace.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argAt = (name, fallback) => (process.argv.indexOf(name) > 0 ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const POLLS = argAt("--polls", 30);
const write = process.argv.includes("--write");
const log = (m) => console.error(`[sidebar] ${m}`);
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (s) => `${(s * 1000).toFixed(1)} ms`;

const dist = (...p) => join(repo, "dist", ...p);
const { createComms } = await import(dist("kernel", "comms.js"));
const { createToolCaller } = await import(dist("kernel", "createToolCaller.js"));
const { createResultRegistry } = await import(dist("kernel", "display.js"));
const { createMessageFactory } = await import(dist("kernel", "jupyterProtocol", "message.js"));
const { createToolContext, runTool } = await import(dist("src", "index.js"));
const { startMlflowServer } = await import(dist("test", "src", "platforms", "mlflow", "mlflowServer.js"));

const cached = await registryWorkspace({ repo, runs: 200, versions: 50, log });
const dir = mkdtempSync(join(tmpdir(), "dw-bench-sidebar-"));
cpSync(cached.dir, dir, { recursive: true });
log(`workspace: ${dir} (200 runs, 50 versions)`);

// dw: the comm's get_state, answered as the kernel answers the sidebar.
const published = [];
const outputs = { publish: (type, content) => published.push({ type, content }) };
const caller = createToolCaller({ cwd: () => dir, currentCell: () => undefined, env: {}, results: createResultRegistry(), onStateChange: () => undefined });
const comms = createComms({ outputs, caller, log: (m) => log(`kernel: ${m}`) });
const factory = createMessageFactory();
await comms.open(factory.create("comm_open", { comm_id: "bench", target_name: "dw", data: {} }));
async function poll() {
  published.length = 0;
  const started = performance.now();
  await comms.message(factory.create("comm_msg", { comm_id: "bench", data: { type: "get_state" } }));
  const seconds = (performance.now() - started) / 1000;
  const data = published.at(-1)?.content.data;
  if (data?.type !== "state") throw new Error(`get_state answered ${JSON.stringify(data).slice(0, 300)}`);
  for (const part of ["runs", "gates", "next_steps", "monitoring"]) if (data[part] === undefined) throw new Error(`the state has no ${part}`);
  return { seconds, bytes: Buffer.byteLength(JSON.stringify(data)), runs: data.runs.length, models: data.state.models.length };
}
const cold = await poll();
const warm = [];
let last;
for (let i = 0; i < POLLS; i++) {
  last = await poll();
  warm.push(last.seconds);
}
log(`dw: cold ${ms(cold.seconds)}, warm p50 ${ms(quantile(warm, 0.5))}; ${last.runs} runs, ${last.models} models, ${(last.bytes / 1024).toFixed(0)} KiB`);

// MLflow: the same workspace mirrored into a real tracking server, read as its UI reads it.
const mlflow = await startMlflowServer();
const mlflowTimes = [];
let mlflowCold;
let mlflowBytes = 0;
let syncSeconds;
try {
  const ctx = await createToolContext({ cwd: dir, workspaceDir: dir });
  const t = performance.now();
  const synced = await runTool("sync_mlflow", { url: mlflow.url }, ctx);
  if (!synced.ok) throw new Error(`sync_mlflow failed: ${JSON.stringify(synced.error)}`);
  syncSeconds = (performance.now() - t) / 1000;
  log(`mirrored into MLflow ${mlflow.url} in ${syncSeconds.toFixed(1)} s`);
  const api = async (method, path, body) => {
    const res = await fetch(`${mlflow.url}/api/2.0/mlflow/${path}`, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`MLflow ${path}: ${res.status} ${text.slice(0, 200)}`);
    mlflowBytes += Buffer.byteLength(text);
    return JSON.parse(text);
  };
  const experiments = (await api("POST", "experiments/search", { max_results: 100 })).experiments.map((e) => e.experiment_id);
  const mlflowPoll = async () => {
    mlflowBytes = 0;
    const started = performance.now();
    const runs = await api("POST", "runs/search", { experiment_ids: experiments, max_results: 20, order_by: ["attributes.start_time DESC"] });
    const models = await api("GET", "registered-models/search?max_results=100");
    for (const m of models.registered_models ?? []) await api("GET", `model-versions/search?filter=${encodeURIComponent(`name='${m.name}'`)}&max_results=100`);
    if ((runs.runs ?? []).length !== 20 || (models.registered_models ?? []).length !== 5) throw new Error("MLflow does not hold the mirrored workspace");
    return (performance.now() - started) / 1000;
  };
  mlflowCold = await mlflowPoll();
  for (let i = 0; i < POLLS; i++) mlflowTimes.push(await mlflowPoll());
} finally {
  await mlflow.stop();
  rmSync(dir, { recursive: true, force: true });
}

const dwP50 = quantile(warm, 0.5);
const mlP50 = quantile(mlflowTimes, 0.5);
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const text = [
  `Measured ${when} UTC by \`node bench/sidebar.mjs${write ? " --write" : ""}\` on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}; dw at ${commit}; load average ${loadavg()[0].toFixed(2)}.`,
  `The workspace: 200 runs (each with 3 logged metric steps), 50 versions over 5 models, each model's newest version at @production.`,
  "",
  "| what | dw sidebar (whole state: models, endpoints, monitoring, 20 runs with gates, gate reports, next steps) | MLflow UI's reads (20 newest runs, registered models, each model's versions) | dw ÷ MLflow |",
  "| --- | --: | --: | --: |",
  `| first read (cold caches) | ${ms(cold.seconds)} | ${ms(mlflowCold)} | ${(cold.seconds / mlflowCold).toFixed(2)}× |`,
  `| each poll, p50 of ${POLLS} | ${ms(dwP50)} | ${ms(mlP50)} | ${(dwP50 / mlP50).toFixed(2)}× |`,
  `| each poll, p90 | ${ms(quantile(warm, 0.9))} | ${ms(quantile(mlflowTimes, 0.9))} | ${(quantile(warm, 0.9) / quantile(mlflowTimes, 0.9)).toFixed(2)}× |`,
  `| bytes per poll | ${(last.bytes / 1024).toFixed(0)} KiB (one comm message) | ${(mlflowBytes / 1024).toFixed(0)} KiB (7 HTTP answers) | |`,
  "",
  `dw mirrored the workspace into MLflow (\`dw mlflow sync\`) in ${syncSeconds.toFixed(1)} s before MLflow was measured.`,
].join("\n");
console.log(`\n### The sidebar's state poll\n${text}`);
if (write) {
  const doc = join(repo, "docs", "benchmarks.md");
  const before = readFileSync(doc, "utf8");
  const start = "<!-- sidebar:start -->";
  const end = "<!-- sidebar:end -->";
  const i = before.indexOf(start);
  const j = before.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/benchmarks.md has no ${start} … ${end} block to replace`);
  writeFileSync(doc, `${before.slice(0, i + start.length)}\n${text}\n${before.slice(j)}`);
  log("wrote docs/benchmarks.md");
}
