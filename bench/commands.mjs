#!/usr/bin/env node
// Whole commands, as a user waits for them, against what a competent Python user runs instead
// (pandas, scikit-learn, MLflow, Jupyter's python3 kernel), in the same run on the same machine.
//
//   node bench/commands.mjs [--repeat N] [--write]      (after `npm run build`; from the repo root)
//
// Each dw row is the whole command through the CLI (`node bin/dw.js …`: start-up, reading, gates,
// commit), each in a fresh `git init`ed workspace unless the row says otherwise; each Python row is
// a whole `python bench/commands_python.py MODE …` process. Best of N (default 3) for times; peak
// memory is the largest over the N runs of the whole process tree (bench/lib/timeWithPeak.mjs).
// Rows measured inside one process (a warm train_model, log_metrics per call, a kernel's first
// reply) say so. The data (bench/lib/numericCsv.mjs) is generated once, seeded, and kept in
// $TMPDIR/dw-bench-commands/. --write puts the table into docs/benchmarks.md between
// <!-- commands:start --> and <!-- commands:end -->; without it the table is only printed.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { numericCsv } from "./lib/numericCsv.mjs";
import { timeWithPeak } from "./lib/timeWithPeak.mjs";
import { commandsSection, commandsTable } from "./commands_table.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argAt = process.argv.indexOf("--repeat");
const REPEAT = argAt > 0 ? Number(process.argv[argAt + 1]) : 3;
if (!Number.isInteger(REPEAT) || REPEAT < 1) throw new Error(`--repeat takes a whole number ≥ 1, not ${process.argv[argAt + 1]}`);
const WRITE = process.argv.includes("--write");
const LOG_CALLS = 100;
const python = process.env.DW_PYTHON ?? join(repo, ".venv", "bin", "python");
const benchPython = join(repo, ".venv-bench", "bin", "python");
const seattle = join(repo, "examples", "data", "seattle-weather.csv");

/** Stops early, with what to run, when something a row needs is missing. */
function checkEnvironment() {
  const setup = "run `node scripts/setup.mjs --for-bench` (or `npm run bench`, which runs it first)";
  const need = [
    [join(repo, "dist", "src", "index.js"), "dw is not compiled", "run `npm run build`"],
    [python, "the Python environment .venv is missing", setup],
    [benchPython, "the peers' Python environment .venv-bench (MLflow) is missing", setup],
    [join(repo, ".venv", "share", "jupyter", "kernels", "dw", "kernel.json"), "the dw kernelspec is not installed in .venv", setup],
    [seattle, "examples/data/seattle-weather.csv is missing", setup],
  ];
  for (const [file, what, hint] of need) if (!existsSync(file)) throw new Error(`${what} (${file}); ${hint}`);
  const imports = [
    [python, "pandas, sklearn, jupyter_client"],
    [benchPython, "mlflow"],
  ];
  for (const [py, modules] of imports) {
    try {
      execFileSync(py, ["-c", `import ${modules}`], { stdio: "pipe" });
    } catch (e) {
      throw new Error(
        `${py} cannot import ${modules}: ${String(e.stderr ?? e.message)
          .trim()
          .split("\n")
          .pop()}; ${setup}`,
      );
    }
  }
}

/** A new empty workspace: a folder with `git init` run in it, as a user starts one. */
function freshWorkspace() {
  const ws = mkdtempSync(join(tmpdir(), "dw-bench-commands-ws-"));
  execFileSync("git", ["init", "-q"], { cwd: ws });
  return ws;
}

// No shared data cache (a team's, from the environment) may answer a "first load".
const dwEnv = { ...process.env };
delete dwEnv.DW_SHARED_CACHE;

/** `dw <args>` through the CLI in `ws`; answers the timing and the parsed JSON it printed. */
async function dw(ws, args) {
  const r = await timeWithPeak(process.execPath, [join(repo, "bin", "dw.js"), ...args], { cwd: ws, env: dwEnv });
  return { ...r, json: args[0] === "--version" ? null : JSON.parse(r.stdout) };
}

/** A Python process running one mode of bench/commands_python.py; answers the timing and its JSON line. */
async function py(mode, args, { interpreter = python, env = process.env, cwd } = {}) {
  const r = await timeWithPeak(interpreter, [join(repo, "bench", "commands_python.py"), mode, ...args], { env, cwd });
  return { ...r, json: JSON.parse(r.stdout.trim().split("\n").pop()) };
}

/** A Node process running one mode of bench/commands_child.mjs. */
async function child(mode, args) {
  const r = await timeWithPeak(process.execPath, [join(repo, "bench", "commands_child.mjs"), mode, ...args], { env: dwEnv });
  return { ...r, json: JSON.parse(r.stdout.trim().split("\n").pop()) };
}

/** Runs `once` N times; answers every run, so that each row can take its best time and its largest peak. */
async function repeat(label, once) {
  const runs = [];
  for (let r = 0; r < REPEAT; r++) {
    process.stderr.write(`  ${label} ${r + 1}/${REPEAT}\r`);
    runs.push(await once(r));
  }
  process.stderr.write(`  ${label} done${" ".repeat(12)}\n`);
  return runs;
}

async function measure() {
  const { createRandom } = await import(pathToFileURL(join(repo, "dist", "src", "models", "random.js")).href);
  const dir = join(tmpdir(), "dw-bench-commands");
  process.stderr.write(`data in ${dir} (generated once) …\n`);
  const big = numericCsv({ dir, name: "regression", rows: 1_000_000, features: 19, task: "regression", createRandom });
  const logit = numericCsv({ dir, name: "classification", rows: 100_000, features: 20, task: "classification", createRandom });
  const m = {};

  // Each repetition runs dw and its peer one after the other, so that a machine whose load changes
  // during the run disturbs both sides alike.
  const startUp = await repeat("CLI start-up", async () => ({
    node: await timeWithPeak(process.execPath, ["-e", "0"]),
    version: await dw(repo, ["--version"]),
  }));
  m.nodeBare = startUp.map((r) => r.node);
  m.version = startUp.map((r) => r.version);

  // Workspace A: load, then train straight away (the two-command row); workspace B: load, the
  // quality check, then the same file loaded again (the cache hit). Both first loads count.
  const big1 = await repeat("1M × 20: dw load, train / load, quality check, load again; python; bare fit", async () => {
    const a = freshWorkspace();
    const b = freshWorkspace();
    try {
      const loadA = await dw(a, ["load_dataset", big.csv, "--dataset_id", "big"]);
      const pyRead = await py("read", [big.csv]);
      const train = await dw(a, ["train_model", "--dataset_id", "big", "--target", "y", "--algorithm", "linear_regression"]);
      const pyTrain = await py("train", [big.csv, "y", "linear"]);
      const bare = await child("bare-linear", [big.x, big.y, String(big.features), String(train.json.rows.train)]);
      const loadB = await dw(b, ["load_dataset", big.csv, "--dataset_id", "big"]);
      const quality = await dw(b, ["run_quality_check", "--dataset_id", "big"]);
      const pyQuality = await py("quality", [big.csv]);
      const again = await dw(b, ["load_dataset", big.csv, "--dataset_id", "big"]);
      return { loadA, train, loadB, quality, again, pyRead, pyTrain, pyQuality, bare };
    } finally {
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  });
  m.load = big1.flatMap((r) => [r.loadA, r.loadB]);
  m.again = big1.map((r) => r.again);
  m.quality = big1.map((r) => r.quality);
  m.train = big1.map((r) => r.train);
  m.loadTrain = big1.map((r) => ({ seconds: r.loadA.seconds + r.train.seconds, peakMb: Math.max(r.loadA.peakMb, r.train.peakMb) }));
  m.pyRead = big1.map((r) => r.pyRead);
  m.pyQuality = big1.map((r) => r.pyQuality);
  m.pyTrain = big1.map((r) => r.pyTrain);
  m.bareLinear = big1.map((r) => r.bare);

  const inWorkspace = async (f) => {
    const ws = freshWorkspace();
    try {
      return await f(ws);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  };
  const logistic = await repeat("100k × 20: dw load, train_model logistic_regression; python; bare fit", () =>
    inWorkspace(async (ws) => {
      await dw(ws, ["load_dataset", logit.csv, "--dataset_id", "logit"]);
      const train = await dw(ws, ["train_model", "--dataset_id", "logit", "--target", "y", "--algorithm", "logistic_regression"]);
      const pyTrain = await py("train", [logit.csv, "y", "logistic"]);
      const bare = await child("bare-logistic", [logit.x, logit.y, String(logit.features), String(train.json.rows.train)]);
      return { train, pyTrain, bare };
    }),
  );
  m.logit = logistic.map((r) => r.train);
  m.pyLogit = logistic.map((r) => r.pyTrain);
  m.bareLogit = logistic.map((r) => r.bare);

  const small = await repeat("seattle-weather: train_model in one process and through the CLI; python both ways", async () => ({
    warm: await inWorkspace((ws) => child("warm-train", [ws, seattle, "temp_max"])),
    pyWarm: await py("train_warm", [seattle, "temp_max", "linear", "date"]),
    cli: await inWorkspace(async (ws) => {
      await dw(ws, ["load_dataset", seattle, "--dataset_id", "small"]);
      return dw(ws, ["train_model", "--dataset_id", "small", "--target", "temp_max", "--algorithm", "linear_regression"]);
    }),
    pyCli: await py("train", [seattle, "temp_max", "linear", "date"]),
  }));
  m.small = small.map((r) => r.warm);
  m.pySmall = small.map((r) => r.pyWarm);
  m.smallCli = small.map((r) => r.cli);
  m.pySmallCli = small.map((r) => r.pyCli);

  const logging = await repeat(`log_metrics × ${LOG_CALLS} in one process; mlflow.log_metric × ${LOG_CALLS} (file store)`, async () => ({
    dw: await inWorkspace((ws) => child("log-metrics", [ws, seattle, "temp_max", String(LOG_CALLS)])),
    py: await inWorkspace((ws) =>
      py("log_metric", [join(ws, "mlruns"), String(LOG_CALLS)], { interpreter: benchPython, env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: "true" } }),
    ),
  }));
  m.log = logging.map((r) => r.dw);
  m.pyLog = logging.map((r) => r.py);

  // The kernels start in a fresh workspace, as a notebook opened in a new project folder.
  const kernels = await repeat("kernels: start → first execute_reply, dw and python3", async () => ({
    dw: await inWorkspace((ws) => py("kernel", ["dw", ws], { cwd: ws })),
    py: await inWorkspace((ws) => py("kernel", ["python3", ws], { cwd: ws })),
  }));
  m.kernel = kernels.map((r) => r.dw);
  m.pyKernel = kernels.map((r) => r.py);

  m.versions = {
    pandas: m.pyRead[0].json.pandas,
    mlflow: m.pyLog[0].json.mlflow,
    python: execFileSync(python, ["-c", "import sys, sklearn; print(sys.version.split()[0], sklearn.__version__)"], { encoding: "utf8" }).trim(),
  };
  m.sizes = { big: statSync(big.csv).size, logit: statSync(logit.csv).size };
  m.trainRows = m.train[0].json.rows.train;
  m.logitRows = m.logit[0].json.rows.train;
  return m;
}

async function main() {
  checkEnvironment();
  const started = Date.now();
  // The one-minute load average at the start and at the end: above the number of cores, every
  // absolute time here reads high (the ratios less so, since both sides share the machine).
  const loadStart = loadavg()[0];
  const m = await measure();
  const minutes = (Date.now() - started) / 60000;
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
  } catch {}
  const machine = {
    when: new Date().toISOString().slice(0, 16).replace("T", " "),
    cpu: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"})`,
    node: process.version,
    load: `${loadStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
    commit,
    repeat: REPEAT,
    minutes,
    write: WRITE,
  };
  const table = commandsTable(m);
  const text = commandsSection(machine, m, table);
  console.log(`\n${text}`);
  if (WRITE) {
    const doc = join(repo, "docs", "benchmarks.md");
    const start = "<!-- commands:start -->";
    const end = "<!-- commands:end -->";
    const before = readFileSync(doc, "utf8");
    const section = `${start}\n${text}\n${end}`;
    const i = before.indexOf(start);
    const j = before.indexOf(end);
    writeFileSync(doc, i >= 0 && j > i ? `${before.slice(0, i)}${section}${before.slice(j + end.length)}` : `${before.trimEnd()}\n\n${section}\n`);
    console.log(`wrote the table into ${doc}`);
  }
}

await main();
