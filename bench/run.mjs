#!/usr/bin/env node
// Fit-time benchmark of dw's models against scikit-learn on the same data, machine and run.
//
//   node bench/run.mjs [--only CASE[,CASE]] [--write]     (after `npx tsc -p .`; run from the repo root)
//
// Each case's data is generated once (seeded), written as raw float64 files, and fitted by dw in
// a child Node process and by scikit-learn in a Python process (`$DW_PYTHON`, else
// `.venv/bin/python`), so each side's peak resident memory is its own. Times are fit only (no
// data loading). Memory is the growth of resident memory during the fit, as a multiple of the
// raw data size (rows × cols × 8 bytes): the peak RSS sampled every 2 ms during the fit minus
// the RSS just before it, in the second of two fits on each side (code compiled, runtime started:
// memory that does not grow with the data), with the fitted trees' own bytes reported apart. Times of both fits are reported: cold (the first
// fit in a fresh process) and warm. `--write` rewrites docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { Worker } from "node:worker_threads";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(repo, "dist", "src", "models");
const { createRandom } = await import(join(dist, "random.js"));

const CASES = {
  linear: { rows: 1_000_000, cols: 20, task: "linear", what: "linear regression (OLS)", repeat: 3 },
  logistic: { rows: 100_000, cols: 20, task: "logistic", what: "logistic regression (L2, C=1)", repeat: 3 },
  decision_tree: { rows: 100_000, cols: 20, task: "nonlinear", what: "decision tree, depth 10", repeat: 3 },
  random_forest: { rows: 100_000, cols: 20, task: "nonlinear", what: "random forest, 50 trees", repeat: 1 },
  gradient_boosting: { rows: 100_000, cols: 20, task: "nonlinear", what: "gradient boosting, 100 iterations", repeat: 3 },
};

function makeData({ rows, cols, task }, seed = 42) {
  const rand = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-300))) * Math.cos(2 * Math.PI * rand());
  const X = new Float64Array(rows * cols);
  for (let i = 0; i < X.length; i++) X[i] = normal();
  const beta = Array.from({ length: cols }, (_, j) => (j % 3) - 1 + 0.1 * j);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = (j) => X[i * cols + j];
    let lin = 0.5;
    for (let j = 0; j < cols; j++) lin += beta[j] * x(j) * 0.3;
    if (task === "linear") y[i] = lin + normal();
    else if (task === "logistic") y[i] = rand() < 1 / (1 + Math.exp(-lin)) ? 1 : 0;
    else y[i] = 2 * Math.sin(x(0)) + x(1) * x(2) + Math.abs(x(3)) + 0.5 * x(4) + 0.5 * normal() > 0.8 ? 1 : 0;
  }
  return { X, y };
}

/**
 * Child mode: fit dw's model on the files twice and print {cold_s, fit_s, peak_rss_mb,
 * base_rss_mb}: the first fit in a fresh process (cold: code compiled on the way, as a single
 * train_model call pays), the second warm, with its peak RSS sampled every 2 ms by a second
 * thread, so that compiled code and the started runtime (which do not grow with the data) are
 * not counted as the fit's memory. scikit-learn's side does the same.
 */
async function child(name, xPath, yPath, rows, cols) {
  // Views on the read buffers (no second copy), so the RSS before the fit is the data and the code.
  const view = (buf) => new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const X = { data: view(readFileSync(xPath)), rows, cols };
  const y = view(readFileSync(yPath));
  const { fitLinear } = await import(join(dist, "linearRegression.js"));
  const { LogisticRegression } = await import(join(dist, "LogisticRegression.js"));
  const { fitDecisionTree } = await import(join(dist, "fitDecisionTree.js"));
  const { fitRandomForest } = await import(join(dist, "fitRandomForest.js"));
  const { GradientBoosting } = await import(join(dist, "GradientBoosting.js"));
  const fits = {
    linear: (X, y) => fitLinear(X.data, y, X.rows, X.cols),
    logistic: (X, y) => LogisticRegression.fit(X, y),
    decision_tree: (X, y) => fitDecisionTree(X, y, { task: "classification", maxDepth: 10, seed: 0 }),
    random_forest: (X, y) => fitRandomForest(X, y, { task: "classification", nEstimators: 50, seed: 0 }),
    gradient_boosting: (X, y) => GradientBoosting.fit(X, y, { task: "classification", maxIter: 100, earlyStopping: false, seed: 0 }),
  };
  let t = performance.now();
  fits[name](X, y);
  const cold_s = (performance.now() - t) / 1000;
  globalThis.gc();
  const peak = new Float64Array(new SharedArrayBuffer(16)); // [peak, stop]
  const sampler = new Worker(
    `const { workerData: peak } = require("node:worker_threads");
     const tick = () => { peak[0] = Math.max(peak[0], process.memoryUsage.rss()); if (peak[1] === 0) setTimeout(tick, 2); };
     tick();`,
    { eval: true, workerData: peak },
  );
  await new Promise((r) => sampler.once("online", r));
  const base = process.memoryUsage.rss();
  peak[0] = base;
  t = performance.now();
  const model = fits[name](X, y);
  const fit_s = (performance.now() - t) / 1000;
  peak[0] = Math.max(peak[0], process.memoryUsage.rss());
  peak[1] = 1;
  await sampler.terminate();
  // The fitted trees' own size (a fully grown forest's model grows with the data).
  const model_mb = typeof model.treeBytes === "number" ? model.treeBytes / 1048576 : null;
  console.log(JSON.stringify({ cold_s, fit_s, peak_rss_mb: peak[0] / 1048576, base_rss_mb: base / 1048576, model_mb }));
}

function runBoth(name, spec, dir) {
  const { X, y } = makeData(spec);
  const xPath = join(dir, `${name}.X.f64`);
  const yPath = join(dir, `${name}.y.f64`);
  writeFileSync(xPath, X);
  writeFileSync(yPath, y);
  const python = process.env.DW_PYTHON ?? join(repo, ".venv", "bin", "python");
  // Both processes allocate large blocks with mmap and give freed memory back (glibc's defaults
  // keep freed blocks resident for reuse, so the warm fit would reuse the cold fit's garbage
  // unseen and the measure would read low on both sides).
  const mallocEnv = { MALLOC_MMAP_THRESHOLD_: "65536", MALLOC_TRIM_THRESHOLD_: "65536" };
  const dwEnv = { ...process.env, ...mallocEnv };
  // OpenBLAS tuning variables set for this machine's other tools are dropped for scikit-learn's process only.
  const pyEnv = { ...process.env, ...mallocEnv };
  delete pyEnv.OPENBLAS_CORETYPE;
  delete pyEnv.OPENBLAS_L2_SIZE;
  const args = [String(spec.rows), String(spec.cols)];
  const best = (runs) => runs.reduce((a, b) => (b.fit_s < a.fit_s ? b : a));
  const bestCold = (runs) => Math.min(...runs.map((r) => r.cold_s));
  const dw = [];
  const sk = [];
  for (let r = 0; r < spec.repeat; r++) {
    dw.push(
      JSON.parse(
        execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--child", name, xPath, yPath, ...args], {
          encoding: "utf8",
          env: dwEnv,
        })
          .trim()
          .split("\n")
          .pop(),
      ),
    );
    sk.push(
      JSON.parse(
        execFileSync(python, [join(repo, "bench", "sklearn_fit.py"), name, xPath, yPath, ...args], { encoding: "utf8", env: pyEnv })
          .trim()
          .split("\n")
          .pop(),
      ),
    );
  }
  // Boosting builds half its histograms on a second thread by default (as scikit-learn's OpenMP loops
  // use both cores; a job the second thread has not started is taken back, so a busy core costs no
  // wait): its fit with DW_FIT_THREADS=1 is timed too, to show what the second thread gives.
  const oneThread = [];
  if (name === "gradient_boosting") {
    for (let r = 0; r < spec.repeat; r++) {
      const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--child", name, xPath, yPath, ...args], {
        encoding: "utf8",
        env: { ...dwEnv, DW_FIT_THREADS: "1" },
      });
      oneThread.push(JSON.parse(out.trim().split("\n").pop()));
    }
  }
  rmSync(xPath);
  rmSync(yPath);
  const rawMb = (spec.rows * spec.cols * 8) / 1048576;
  const d = best(dw);
  const s = best(sk);
  return {
    name,
    what: spec.what,
    shape: `${spec.rows.toLocaleString("en")} × ${spec.cols}`,
    dw_s: d.fit_s,
    sk_s: s.fit_s,
    ratio: d.fit_s / s.fit_s,
    dw_cold: bestCold(dw),
    sk_cold: bestCold(sk),
    dw_mem: (d.peak_rss_mb - d.base_rss_mb) / rawMb,
    sk_mem: (s.peak_rss_mb - s.base_rss_mb) / rawMb,
    dw_model: d.model_mb === null ? null : d.model_mb / rawMb,
    sk_model: s.model_mb === null ? null : s.model_mb / rawMb,
    rawMb,
    dw_one_thread_s: oneThread.length > 0 ? best(oneThread).fit_s : null,
  };
}

function table(results) {
  const lines = [
    "| model | data | dw fit, warm (s) | scikit-learn fit, warm (s) | dw ÷ scikit-learn, warm | dw ÷ scikit-learn, cold (dw s / sklearn s) | target | dw fit memory ÷ raw data | scikit-learn fit memory ÷ raw data | of which the fitted trees (dw / scikit-learn) |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const over = (ratio, target) => `${ratio.toFixed(2)}×${ratio <= target ? "" : " (over)"}`;
  for (const r of results) {
    const target = r.name === "linear" || r.name === "logistic" ? 1.5 : 2;
    lines.push(
      `| ${r.what}${r.dw_one_thread_s === null ? "" : ` (dw on one thread, DW_FIT_THREADS=1: ${r.dw_one_thread_s.toFixed(3)} s, ${(r.dw_one_thread_s / r.sk_s).toFixed(2)}×)`} | ${r.shape} (${r.rawMb.toFixed(0)} MB) | ${r.dw_s.toFixed(3)} | ${r.sk_s.toFixed(3)} | ${over(r.ratio, target)} | ${over(r.dw_cold / r.sk_cold, target)} (${r.dw_cold.toFixed(3)} / ${r.sk_cold.toFixed(3)}) | ≤ ${target}× | ${r.dw_mem.toFixed(2)}${r.dw_mem <= 2 ? "" : " (over)"} | ${r.sk_mem.toFixed(2)} | ${r.dw_model === null ? "—" : `${r.dw_model.toFixed(2)} / ${r.sk_model.toFixed(2)}`} |`,
    );
  }
  return lines.join("\n");
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") return child(argv[1], argv[2], argv[3], Number(argv[4]), Number(argv[5]));
  const onlyAt = argv.indexOf("--only");
  const names = onlyAt >= 0 ? argv[onlyAt + 1].split(",") : Object.keys(CASES);
  const dir = mkdtempSync(join(tmpdir(), "dw-bench-"));
  const results = [];
  try {
    for (const name of names) {
      if (!CASES[name]) throw new Error(`unknown case ${name}; the cases are ${Object.keys(CASES).join(", ")}`);
      const r = runBoth(name, CASES[name], dir);
      console.error(
        `${name}: warm dw ${r.dw_s.toFixed(3)} s, scikit-learn ${r.sk_s.toFixed(3)} s, ratio ${r.ratio.toFixed(2)}; cold ${r.dw_cold.toFixed(3)} s / ${r.sk_cold.toFixed(3)} s` +
          (r.dw_one_thread_s === null ? "" : `; dw on one thread ${r.dw_one_thread_s.toFixed(3)} s, ratio ${(r.dw_one_thread_s / r.sk_s).toFixed(2)}`),
      );
      results.push(r);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = table(results);
  console.log(out);
  if (argv.includes("--write")) {
    const doc = join(repo, "docs", "benchmarks.md");
    const env = `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)} by \`node bench/run.mjs --write\`.`;
    let text = readFileSync(doc, { encoding: "utf8", flag: "a+" });
    const start = "<!-- bench:start -->";
    const end = "<!-- bench:end -->";
    const block = `${start}\n${env}\n\n${out}\n${end}`;
    text = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*${end}`), block) : `${text}\n${block}\n`;
    writeFileSync(doc, text);
  }
}

await main();
