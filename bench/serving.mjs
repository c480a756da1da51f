#!/usr/bin/env node
// Serving benchmark: `dw serve` against a real `mlflow models serve` of the same models, then a
// reliability soak of dw serve.
//
//   node bench/serving.mjs [--write]      (after `npx tsc -p .` and `node scripts/setup.mjs --for-bench`)
//
// 1. Trains a linear regression and a decision tree (depth 6) on scikit-learn's diabetes data on
//    both sides (bench/serving/models.mjs) and checks that every server gives the same predictions,
//    to 1e-9, on all 442 rows and on every body the load sends. Nothing is measured otherwise.
// 2. Starts `dw serve` (its default process layout) and, per model, `mlflow models serve
//    --env-manager local` with 1 worker and with one worker per core (all idle until measured).
// 3. Closed loop, per model × 1- and 100-row dataframe_split × concurrency 1 and 32, each server in
//    turn (the order rotates from case to case): requests/s, p50/p99 and the CPU of the server's
//    process tree per request (/proc, children included). The load comes from another process
//    (bench/lib/loadgen.mjs, node:http with keep-alive).
// 4. Open loop at 1,000 requests/s, 1 row: p50/p99 for dw (target p99 ≤ 5 ms), and for an MLflow
//    server only where its closed loop reached 1,100 requests/s (below that, a fixed 1,000/s only
//    measures a growing queue).
// 5. Soak: a fresh dw serve, warmed up, idle 5 s, RSS; then 1,000 requests/s of the 1-row bodies of
//    both models with every answer checked; idle 10 s, RSS again.
//
// DW_BENCH_SERVING_SECONDS (default 20), DW_BENCH_SERVING_WARMUP (3) and DW_BENCH_SOAK_SECONDS (60)
// shorten it for a quick check. --write puts the tables into docs/benchmarks.md.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { reportTargets } from "./lib/targets.mjs";
import { treeRssBytes } from "./lib/processTree.mjs";
import { MODELS, maxAbsDiff, predict, prepareModels, splitBody } from "./serving/models.mjs";
import { closedTable, cpuPerRequest, openTable, soakTable, writeDocs } from "./serving/report.mjs";
import { startDwServe, startMlflowServe, stopServer } from "./serving/servers.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venv = join(repo, ".venv-bench");
const python = join(venv, "bin", "python");
const SECONDS = Number(process.env.DW_BENCH_SERVING_SECONDS ?? 20);
const WARMUP = Number(process.env.DW_BENCH_SERVING_WARMUP ?? 3);
const SOAK_SECONDS = Number(process.env.DW_BENCH_SOAK_SECONDS ?? 60);
const RATE = 1000;
const TOLERANCE = 1e-9;
const WORKERS = cpus().length;
const write = process.argv.includes("--write");
const log = (m) => console.log(`[serving] ${m}`);

/** Runs bench/lib/loadgen.mjs in its own process with `spec` and answers its result. */
function load(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, "bench", "lib", "loadgen.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the load generator exited with ${code}`))));
    child.stdin.end(JSON.stringify(spec));
  });
}

function versions() {
  const out = execFileSync(python, ["-c", "import sys, mlflow, sklearn; print(mlflow.__version__, sklearn.__version__, sys.version.split()[0])"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [mlflow, sklearn, py] = out.trim().split(" ");
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
  return { mlflow, sklearn, py, commit };
}

if (!existsSync(python)) {
  console.error(`[serving] ${python} is missing: run \`node scripts/setup.mjs --for-bench\` (npm run bench does) to install MLflow there.`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), "dw-bench-serving-"));
const servers = [];
try {
  const v = versions();
  log(`dw ${v.commit}, mlflow ${v.mlflow}, scikit-learn ${v.sklearn}, Python ${v.py}; ${SECONDS} s per case after ${WARMUP} s of warm-up`);
  const workspace = join(dir, "workspace");
  mkdirSync(workspace);
  log("training the models on both sides…");
  const { rows, mlflowModel } = prepareModels({ repo, python, workspace, mlflowDir: join(dir, "mlflow") });

  log(`starting dw serve and, per model, mlflow models serve with 1 and ${WORKERS} workers…`);
  const dw = await startDwServe(repo, workspace, dir);
  servers.push(dw);
  const mlflow = {};
  for (const name of Object.keys(MODELS)) {
    mlflow[name] = {};
    for (const w of [1, WORKERS]) {
      const s = await startMlflowServe(venv, mlflowModel(name), w, dir, `${name}-${w}w`);
      servers.push(s);
      mlflow[name][w] = s;
    }
  }
  const dwPath = (name) => `/models/${name}@production/invocations`;
  const targetsOf = (name) => [
    { label: "MLflow 1 worker", key: "one", server: mlflow[name][1], path: "/invocations" },
    { label: `MLflow ${WORKERS} workers`, key: "many", server: mlflow[name][WORKERS], path: "/invocations" },
    { label: "dw", key: "dw", server: dw, path: dwPath(name) },
  ];

  // The bodies the load sends: ten different single rows and four different 100-row blocks, each
  // with dw's answer, which must equal every MLflow server's to 1e-9 (as must all 442 rows at once).
  const bodies = { 1: [], 100: [] };
  for (let i = 0; i < 10; i++) bodies[1].push(rows.slice(i, i + 1));
  for (let i = 0; i < 4; i++) bodies[100].push(rows.slice(100 * i, 100 * i + 100));
  const expected = {};
  for (const name of Object.keys(MODELS)) {
    expected[name] = { 1: [], 100: [] };
    for (const block of [rows, ...bodies[1], ...bodies[100]]) {
      const body = splitBody(block);
      const want = await predict(dw.url, dwPath(name), body);
      for (const t of targetsOf(name).slice(0, 2)) {
        const got = await predict(t.server.url, t.path, body);
        const d = maxAbsDiff(want, got);
        if (!(d <= TOLERANCE)) throw new Error(`${name}: dw and ${t.label} disagree on ${block.length} rows (max abs diff ${d}); nothing was measured`);
      }
      if (block.length !== rows.length) expected[name][block.length].push({ body, predictions: want });
    }
  }
  log(`same predictions on every server (to ${TOLERANCE}) for ${rows.length} rows and every body sent`);

  const requestsFor = (name, size, path) => expected[name][size].map((e) => ({ path, body: e.body, expect: e.predictions }));
  const closed = [];
  let turn = 0;
  for (const name of Object.keys(MODELS)) {
    for (const size of [1, 100]) {
      for (const concurrency of [1, 32]) {
        const targets = targetsOf(name);
        const order = targets.map((_, i) => targets[(i + turn) % targets.length]);
        turn++;
        const c = { model: MODELS[name].what, rows: size, concurrency };
        for (const t of order) {
          c[t.key] = await load({
            url: t.server.url,
            requests: requestsFor(name, size, t.path),
            mode: "closed",
            concurrency,
            seconds: SECONDS,
            warmupSeconds: WARMUP,
            serverPid: t.server.pid,
          });
          const r = c[t.key];
          log(
            `${name} ${size} row(s) c=${concurrency} ${t.label}: ${r.rps.toFixed(0)} req/s, p50 ${r.latencyMs?.p50.toFixed(2)} ms, p99 ${r.latencyMs?.p99.toFixed(2)} ms, ${cpuPerRequest(r)?.toFixed(2)} CPU ms/req, ${r.non2xx + r.errors} failed; load generator ${(r.loadgenCpuMs / 1000).toFixed(1)} CPU s, load average ${loadavg()[0].toFixed(1)}`,
          );
        }
        closed.push(c);
      }
    }
  }

  const open = [];
  for (const name of Object.keys(MODELS)) {
    for (const t of targetsOf(name)) {
      const best = closed.find((c) => c.model === MODELS[name].what && c.rows === 1 && c.concurrency === 32)[t.key].rps;
      if (t.key !== "dw" && best < 1.1 * RATE) {
        log(`${name} ${t.label}: no open loop at ${RATE}/s (its closed loop reached ${best.toFixed(0)} req/s)`);
        continue;
      }
      const r = await load({
        url: t.server.url,
        requests: requestsFor(name, 1, t.path),
        mode: "open",
        rate: RATE,
        seconds: SECONDS,
        warmupSeconds: WARMUP,
        serverPid: t.server.pid,
      });
      open.push({ server: t.label, model: MODELS[name].what, r });
      log(`${name} ${t.label} at ${RATE}/s: p50 ${r.latencyMs.p50.toFixed(2)} ms, p99 ${r.latencyMs.p99.toFixed(2)} ms, ${r.non2xx + r.errors} failed`);
    }
  }
  while (servers.length) await stopServer(servers.pop());

  log(`soak: a fresh dw serve, ${SOAK_SECONDS} s at ${RATE} requests/s with every answer checked…`);
  const fresh = await startDwServe(repo, workspace, dir);
  servers.push(fresh);
  // 1-row bodies of both models, the rate the target is set for; every answer is checked.
  const mixed = Object.keys(MODELS).flatMap((name) => requestsFor(name, 1, dwPath(name)));
  const soakSpec = { url: fresh.url, requests: mixed, mode: "open", rate: RATE, check: true, tolerance: TOLERANCE, serverPid: fresh.pid };
  await load({ ...soakSpec, seconds: Math.min(5, SOAK_SECONDS), warmupSeconds: 0 });
  await new Promise((r) => setTimeout(r, 5000));
  const rss = { before: treeRssBytes(fresh.pid), peak: 0, after: 0 };
  const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, treeRssBytes(fresh.pid))), 1000);
  const soakRun = await load({ ...soakSpec, seconds: SOAK_SECONDS, warmupSeconds: 0 });
  clearInterval(sampler);
  rss.peak = Math.max(rss.peak, treeRssBytes(fresh.pid));
  await new Promise((r) => setTimeout(r, 10_000));
  rss.after = treeRssBytes(fresh.pid);
  const soak = { r: soakRun, rss };
  await stopServer(servers.pop());

  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, Python ${v.py}, mlflow ${v.mlflow}, scikit-learn ${v.sklearn}; dw at ${v.commit}`;
  const text = [
    `Measured ${when} UTC by \`node bench/serving.mjs${write ? " --write" : ""}\` on ${machine}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" / ")} at the end. ${SECONDS} s per run after ${WARMUP} s of warm-up; soak ${SOAK_SECONDS} s.`,
    "",
    `**Closed loop** (each client sends its next request when the last is answered; dataframe_split bodies):`,
    "",
    closedTable(closed, WORKERS),
    "",
    `**Open loop at ${RATE.toLocaleString("en-US")} requests/s**, 1 row (latency from sending; "from schedule" adds the generator's own lateness):`,
    "",
    openTable(open),
    "",
    `**Soak**: a fresh \`dw serve\`, ${RATE.toLocaleString("en-US")} requests/s of the 1-row bodies of both models, each answer compared with the expected predictions; RSS is the server's process tree, idle 5 s before and 10 s after:`,
    "",
    soakTable(soak),
  ].join("\n");
  console.log(`\n${text}`);

  const find = (name, key) => closed.find((c) => c.model === MODELS[name].what && c.rows === 1 && c.concurrency === 32)[key].rps;
  const targets = [
    ...Object.keys(MODELS).map((name) => {
      const x = find(name, "dw") / find(name, "many");
      return {
        what: `${MODELS[name].what}, 1 row, concurrency 32: dw ÷ MLflow with ${WORKERS} workers`,
        measured: `${x.toFixed(2)}×`,
        target: "≥ 20×",
        ok: x >= 20,
      };
    }),
    ...open
      .filter((o) => o.server === "dw")
      .map((o) => ({
        what: `${o.model}, 1 row at ${RATE}/s: dw p99`,
        measured: `${o.r.latencyMs.p99.toFixed(2)} ms`,
        target: "≤ 5 ms",
        ok: o.r.latencyMs.p99 <= 5,
      })),
    {
      what: `soak: failed or wrong answers in ${soakRun.requests.toLocaleString("en-US")}`,
      measured: String(soakRun.non2xx + soakRun.errors + soakRun.mismatches),
      target: "0",
      ok: soakRun.non2xx + soakRun.errors + soakRun.mismatches === 0,
    },
    {
      what: "soak: RSS 10 s after ÷ before",
      measured: `${(rss.after / rss.before).toFixed(3)}`,
      target: "≤ 1.10",
      ok: rss.after <= 1.1 * rss.before,
    },
  ];
  reportTargets("Serving against MLflow (bench/serving.mjs)", targets);
  if (write) {
    writeDocs(join(repo, "docs", "benchmarks.md"), text);
    log("wrote docs/benchmarks.md");
  }
} finally {
  while (servers.length) await stopServer(servers.pop());
  rmSync(dir, { recursive: true, force: true });
}
