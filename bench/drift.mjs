#!/usr/bin/env node
// Drift detection against Evidently on 1M × 20 (issue 14): the same two CSV files, each tool as its
// user runs it, the time and memory of each, and per column the same verdict (or the bench fails).
//
//   node bench/drift.mjs [--rows N] [--write] [--dw-only]     (after `npx tsc -p .` and `node scripts/setup.mjs --for-bench`)
//
// --dw-only times dw's side alone (no Evidently, no comparison): for iterating on dw's speed.
//
// Generates once (seeded, cached in $TMPDIR/dw-bench-drift/<rows>/) reference.csv and current.csv:
// N rows (default 1,000,000) × 20 numeric columns c00..c19 cycling normal, lognormal, uniform and
// exponential; in current three are shifted: c00 mean +0.5 sd, c01 lognormal × 1.5, c02 uniform
// + 0.2. And train.csv, 20,000 reference-like rows with a target y, for the model that
// detect_model_drift asks about (trained beforehand, not timed: a user checks a model they have).
//   Evidently (.venv-evidently, evidently 0.7.23): one Python process reads both files with pandas
//     and runs Report([DataDriftPreset()]); timed as a whole process and the run alone.
//   dw: the CLI, `dw load_dataset` of each file (timed apart), then `dw detect_model_drift
//     --model_id <run> --dataset_id current --baseline_dataset_id reference` (which also scores the
//     model on both files for prediction drift, which Evidently is not asked to do).
// Peak RSS of each process from /usr/bin/time. --write puts the table into docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { reportTargets } from "./lib/targets.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argAt = (name) => process.argv.indexOf(name);
const ROWS = argAt("--rows") > 0 ? Number(process.argv[argAt("--rows") + 1]) : 1_000_000;
const write = process.argv.includes("--write");
const dwOnly = process.argv.includes("--dw-only");
if (write && dwOnly) throw new Error("--write needs Evidently's side: leave out --dw-only");
const COLUMNS = Array.from({ length: 20 }, (_, j) => `c${String(j).padStart(2, "0")}`);
const python = join(repo, ".venv-evidently", "bin", "python");
const log = (m) => console.error(`[drift] ${m}`);

/** mulberry32: the same files on every machine. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One row's 20 values: column j is normal, lognormal, uniform or exponential by j mod 4; `shifted` moves c00, c01 and c02. */
function row(rand, normal, shifted) {
  const v = new Array(20);
  for (let j = 0; j < 20; j++) {
    const kind = j % 4;
    let x = kind === 0 ? normal() : kind === 1 ? Math.exp(0.5 * normal()) : kind === 2 ? rand() : -Math.log(1 - rand());
    if (shifted && j === 0) x += 0.5;
    if (shifted && j === 1) x *= 1.5;
    if (shifted && j === 2) x += 0.2;
    v[j] = x;
  }
  return v;
}

function generate(file, rows, seed, { shifted = false, target = false } = {}) {
  if (existsSync(file)) return;
  const rand = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  writeSync(fd, `${[...COLUMNS, ...(target ? ["y"] : [])].join(",")}\n`);
  let chunk = [];
  for (let i = 0; i < rows; i++) {
    const v = row(rand, normal, shifted);
    const cells = v.map((x) => x.toPrecision(9));
    if (target) cells.push((v.reduce((s, x, j) => s + ((j % 5) - 2) * x, 0) + 0.1 * normal()).toPrecision(9));
    chunk.push(cells.join(","));
    if (chunk.length === 20_000) {
      writeSync(fd, `${chunk.join("\n")}\n`);
      chunk = [];
    }
  }
  if (chunk.length) writeSync(fd, `${chunk.join("\n")}\n`);
  closeSync(fd);
  renameSync(tmp, file);
}

/** Runs a command under /usr/bin/time: its stdout, wall seconds and peak RSS in MB. */
function timed(cmd, args, opts = {}) {
  const stats = join(work, `time-${process.hrtime.bigint()}.txt`);
  const started = performance.now();
  const stdout = execFileSync("/usr/bin/time", ["-f", "%M", "-o", stats, cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 28, ...opts });
  const seconds = (performance.now() - started) / 1000;
  const rssMb = Number(readFileSync(stats, "utf8").trim().split("\n").pop()) / 1024;
  return { stdout, seconds, rssMb };
}

function dw(tool, input) {
  const r = timed(process.execPath, [join(repo, "bin", "dw.js"), tool, "--json", JSON.stringify(input), "--workspace", workspace]);
  const out = JSON.parse(r.stdout);
  if (out.ok === false) throw new Error(`dw ${tool} failed: ${JSON.stringify(out.error)}`);
  return { ...r, out };
}

const dataDir = join(tmpdir(), "dw-bench-drift", String(ROWS));
mkdirSync(dataDir, { recursive: true });
const files = { reference: join(dataDir, "reference.csv"), current: join(dataDir, "current.csv"), train: join(dataDir, "train.csv") };
log(`data in ${dataDir} (generated once)`);
generate(files.reference, ROWS, 1);
generate(files.current, ROWS, 2, { shifted: true });
generate(files.train, 20_000, 3, { target: true });

const work = mkdtempSync(join(tmpdir(), "dw-bench-drift-run-"));
const workspace = join(work, "ws");
mkdirSync(workspace);
try {
  // dw: the model first (not timed), then what the check costs a user.
  dw("load_dataset", { path: files.train, dataset_id: "train" });
  const { out: trained } = dw("train_model", { dataset_id: "train", target: "y", algorithm: "linear_regression" });
  log(`model: run ${trained.run_id}`);
  const loadRef = dw("load_dataset", { path: files.reference, dataset_id: "reference" });
  const loadCur = dw("load_dataset", { path: files.current, dataset_id: "current" });
  const detect = dw("detect_model_drift", { model_id: trained.run_id, dataset_id: "current", baseline_dataset_id: "reference" });
  const dwTotal = loadRef.seconds + loadCur.seconds + detect.seconds;
  log(`dw: load ${loadRef.seconds.toFixed(2)} + ${loadCur.seconds.toFixed(2)} s, detect_model_drift ${detect.seconds.toFixed(2)} s`);

  if (dwOnly) log(`--dw-only: Evidently not run; dw total ${dwTotal.toFixed(2)} s (peak RSS of detect_model_drift ${Math.round(detect.rssMb)} MB)`);
  else {
    const ev = timed(python, [join(repo, "bench", "drift_evidently.py"), files.reference, files.current]);
    const evOut = JSON.parse(ev.stdout.trim().split("\n").pop());
    log(`Evidently: process ${ev.seconds.toFixed(2)} s (read ${evOut.read_s.toFixed(2)} s, run ${evOut.run_s.toFixed(2)} s)`);

    // The same verdict per column, or nothing else counts.
    const dwColumns = new Map(detect.out.columns.map((c) => [c.column, c]));
    const rows = COLUMNS.map((name) => {
      const d = dwColumns.get(name);
      const e = evOut.columns[name];
      if (!d || !e) throw new Error(`column ${name}: dw ${d ? "has" : "lacks"} it, Evidently ${e ? "has" : "lacks"} it`);
      const score = d.p_value ?? d.statistic;
      return { name, d, e, score, diff: Math.abs(score - e.score) };
    });
    const disagree = rows.filter((r) => r.d.drifted !== r.e.drifted || r.d.method !== r.e.method);
    if (disagree.length) {
      for (const r of disagree)
        console.error(`DISAGREE ${r.name}: dw ${r.d.method} ${r.score} ${r.d.drifted}, Evidently ${r.e.method} ${r.e.score} ${r.e.drifted}`);
      throw new Error(`${disagree.length} of ${rows.length} columns have different verdicts or methods: the comparison is void`);
    }
    const worst = Math.max(...rows.map((r) => r.diff));

    const f = (s) => s.toFixed(2);
    const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
    const mb = (x) => `${Math.round(x).toLocaleString("en-US")} MB`;
    const when = new Date().toISOString().slice(0, 16).replace("T", " ");
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    const n = ROWS.toLocaleString("en-US");
    const text = [
      `Measured ${when} UTC by \`node bench/drift.mjs${write ? " --write" : ""}\` on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, evidently ${evOut.version} with pandas ${evOut.pandas}; dw at ${commit}; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" / ")} at the end. Reference and current ${n} rows × 20 numeric columns each (CSV, ${f(
        (readFileSync(files.reference).length + readFileSync(files.current).length) / 2 ** 20,
      )} MB together); one run of each.`,
      "",
      "| | seconds | peak RSS | Evidently ÷ dw |",
      "| --- | ---: | ---: | ---: |",
      `| Evidently, whole process (import, \`pd.read_csv\` ×2, \`Report([DataDriftPreset()]).run\`) | ${f(ev.seconds)} | ${mb(ev.rssMb)} | |`,
      `| Evidently, \`read_csv\` of both files | ${f(evOut.read_s)} | | |`,
      `| Evidently, \`Report.run\` alone | ${f(evOut.run_s)} | | |`,
      `| dw, \`dw load_dataset\` reference | ${f(loadRef.seconds)} | ${mb(loadRef.rssMb)} | |`,
      `| dw, \`dw load_dataset\` current | ${f(loadCur.seconds)} | ${mb(loadCur.rssMb)} | |`,
      `| dw, \`dw detect_model_drift\` (reads both datasets, scores the model on both, 20 columns + prediction) | ${f(detect.seconds)} | ${mb(detect.rssMb)} | ${ratio(evOut.run_s, detect.seconds)} (run alone) |`,
      `| dw, total (both loads + detect_model_drift) | ${f(dwTotal)} | | ${ratio(ev.seconds, dwTotal)} (whole process) |`,
      "",
      `Per column (score: the p-value of a test, else the distance; the same verdict everywhere, largest score difference ${worst.toExponential(1)}):`,
      "",
      "| column | method | Evidently score | dw score | drifted (both) |",
      "| --- | --- | ---: | ---: | --- |",
      ...rows.map((r) => `| ${r.name} | ${r.e.method} | ${r.e.score.toPrecision(6)} | ${r.score.toPrecision(6)} | ${r.d.drifted ? "**yes**" : "no"} |`),
    ].join("\n");
    console.log(`\n${text}`);
    reportTargets("Drift against Evidently (bench/drift.mjs)", [
      {
        what: `Evidently whole process ÷ dw total (both loads + check), ${n} × 20`,
        measured: ratio(ev.seconds, dwTotal),
        target: "≥ 10×",
        ok: ev.seconds / dwTotal >= 10,
      },
      {
        what: `Evidently Report.run ÷ dw detect_model_drift, ${n} × 20`,
        measured: ratio(evOut.run_s, detect.seconds),
        target: "≥ 10×",
        ok: evOut.run_s / detect.seconds >= 10,
      },
      { what: "columns with a different verdict", measured: String(disagree.length), target: "0", ok: disagree.length === 0 },
    ]);
    if (write) {
      const doc = join(repo, "docs", "benchmarks.md");
      const before = readFileSync(doc, "utf8");
      const start = "<!-- drift:start -->";
      const end = "<!-- drift:end -->";
      const i = before.indexOf(start);
      const j = before.indexOf(end);
      if (i < 0 || j < i) throw new Error(`docs/benchmarks.md has no ${start} … ${end} block to replace`);
      writeFileSync(doc, `${before.slice(0, i + start.length)}\n${text}\n${before.slice(j)}`);
      log("wrote docs/benchmarks.md");
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
