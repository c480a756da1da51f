#!/usr/bin/env node
// The quality check's speed against pandas computing the same statistics, same file, same run.
//
//   node bench/quality.mjs [--rows N] [--repeat R]      (after `npx tsc -p .`; from the repo root)
//
// Generates (once, seeded, cached in $TMPDIR/dw-bench-quality/) a CSV of N rows (default 1,000,000)
// × 20 columns: 16 numeric (2 decimals or whole numbers, 5% missing in half of them), 3 categorical
// (5, 20 and 200 levels) and a timestamp. Then:
//   dw:     one process runs load_dataset (timed apart; it parses the CSV once and keeps the columns
//           in .dw/cache/columns) and the gate on the dataset in memory (as train_model calls it);
//           then R new processes each run run_quality_check on the registered dataset, which must
//           read it from disk first, as a new kernel, the CLI or dw serve does;
//   pandas: read_csv once (timed apart), then describe(), isna().sum(), duplicated().sum(),
//           value_counts() of each categorical and the timestamp's min/max on the DataFrame.
// Reading is excluded from both sides in the first row and included in both in the second (dw
// reads what load_dataset kept, pandas parses the CSV: each as its user would on the second day);
// the third row is the one-time load. Best of R runs (default 3). Prints markdown rows.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, writeSync, closeSync, renameSync, rmSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg("--rows", 1_000_000);
const REPEAT = arg("--repeat", 3);
const CATEGORICALS = ["cat_a", "cat_b", "cat_c"];

/** A small seeded generator (mulberry32), so the file is the same on every machine. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(file, rows) {
  const rand = random(7);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-300))) * Math.cos(2 * Math.PI * rand());
  const levels = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}_${i}`);
  const cats = [levels("region", 5), levels("product", 20), levels("store", 200)];
  const header = [...Array.from({ length: 14 }, (_, j) => `x${j}`), "count", "amount", ...CATEGORICALS, "ts"];
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  writeSync(fd, header.join(",") + "\n");
  const t0 = Date.UTC(2025, 0, 1);
  let time = t0;
  let chunk = [];
  for (let i = 0; i < rows; i++) {
    const f = [];
    for (let j = 0; j < 14; j++) f.push(j % 2 === 1 && rand() < 0.05 ? "" : (normal() * (j + 1) * 10 + j * 5).toFixed(2));
    f.push(String(Math.floor(rand() * 1000)));
    f.push(rand() < 0.05 ? "" : (Math.exp(normal()) * 100).toFixed(2));
    // Skewed categories, as real ones are.
    for (const c of cats) f.push(c[Math.min(c.length - 1, Math.floor(c.length * rand() * rand()))]);
    time += Math.floor(rand() * 60_000);
    f.push(new Date(time).toISOString().slice(0, 19).replace("T", " "));
    chunk.push(f.join(","));
    if (chunk.length === 50_000) {
      writeSync(fd, chunk.join("\n") + "\n");
      chunk = [];
    }
  }
  if (chunk.length) writeSync(fd, chunk.join("\n") + "\n");
  closeSync(fd);
  renameSync(tmp, file);
}

const dist = (p) => pathToFileURL(join(repo, "dist", "src", p)).href;

async function best(fn) {
  let b = Infinity;
  let out;
  for (let r = 0; r < REPEAT; r++) {
    const s = performance.now();
    out = await fn();
    b = Math.min(b, (performance.now() - s) / 1000);
  }
  return [b, out];
}

/** Child mode 1: load_dataset into the workspace `ws`, then the gate on the columns in memory (as train_model calls it). */
async function childLoad(file, ws) {
  const { createToolContext } = await import(dist("tools/createToolContext.js"));
  const { runTool } = await import(dist("tools/runTool.js"));
  const { readDataset } = await import(dist("data/readDataset.js"));
  const { runQualityGate } = await import(dist("quality/runQualityGate.js"));
  const ctx = await createToolContext({ cwd: ws, workspaceDir: ws });
  const t = performance.now();
  const loaded = await runTool("load_dataset", { path: file, dataset_id: "bench" }, ctx);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const load_s = (performance.now() - t) / 1000;
  const { ds } = await readDataset(ctx.workspace, "bench");
  // Each run profiles the data: the profile stored for this data version (.dw/cache/profiles/, in
  // memory and on disk) would otherwise answer every run after the first without computing anything.
  const { forgetProfiles, profileCacheDir } = await import(dist("data/profileCache.js"));
  const [gate_s, report] = await best(() => {
    forgetProfiles();
    rmSync(profileCacheDir(ctx.workspace), { recursive: true, force: true });
    // A new Dataset object: profiles of a dataset held in memory are kept per object.
    return runQualityGate(ctx, { datasetId: "bench", ds: { ...ds, columns: [...ds.columns] } });
  });
  console.log(
    JSON.stringify({ load_s, gate_s, profile_ms: report.timings_ms.profile, status: report.status, score: report.scores.overall, rows: report.rows }),
  );
}

/**
 * Child mode 2, a new process each time (as a new kernel, the CLI or dw serve is): run_quality_check
 * on the registered dataset, which must read it from disk first. Also times that read alone.
 */
async function childCheck(ws) {
  const { createToolContext } = await import(dist("tools/createToolContext.js"));
  const { runTool } = await import(dist("tools/runTool.js"));
  const { readDataset, forgetReadDatasets } = await import(dist("data/readDataset.js"));
  const ctx = await createToolContext({ cwd: ws, workspaceDir: ws });
  let t = performance.now();
  await readDataset(ctx.workspace, "bench");
  const read_s = (performance.now() - t) / 1000;
  forgetReadDatasets();
  // The first check of this data version computes its profile; a second one reads the stored profile.
  const { profileCacheDir } = await import(dist("data/profileCache.js"));
  rmSync(profileCacheDir(ctx.workspace), { recursive: true, force: true });
  t = performance.now();
  const result = await runTool("run_quality_check", { dataset_id: "bench" }, ctx);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const tool_s = (performance.now() - t) / 1000;
  t = performance.now();
  const again = await runTool("run_quality_check", { dataset_id: "bench" }, ctx);
  if (!again.ok) throw new Error(JSON.stringify(again.error));
  console.log(JSON.stringify({ tool_s, stored_s: (performance.now() - t) / 1000, read_s }));
}

function runChild(args) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...args, "--repeat", String(REPEAT)], { encoding: "utf8", maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split("\n").pop());
}

function dwSide(file) {
  const ws = mkdtempSync(join(tmpdir(), "dw-bench-quality-ws-"));
  try {
    const load = runChild(["--child-load", file, ws]);
    const checks = Array.from({ length: REPEAT }, () => runChild(["--child-check", ws]));
    const min = (key) => Math.min(...checks.map((c) => c[key]));
    return { ...load, tool_s: min("tool_s"), stored_s: min("stored_s"), read_s: min("read_s") };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

async function main() {
  const dir = join(tmpdir(), "dw-bench-quality");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `quality-${ROWS}x20.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    generate(file, ROWS);
  }
  const python = process.env.DW_PYTHON ?? join(repo, ".venv", "bin", "python");
  const dw = dwSide(file);
  const pd = JSON.parse(
    execFileSync(python, [join(repo, "bench", "quality_pandas.py"), file, CATEGORICALS.join(","), String(REPEAT)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop(),
  );
  const s = (v) => v.toFixed(3);
  const ratio = (a, b) => `${(a / b).toFixed(2)}×${a / b > 1 ? " (over)" : ""}`;
  const size = `${ROWS.toLocaleString("en-US")} × 20`;
  console.log(
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, pandas ${pd.pandas}; ${new Date().toISOString().slice(0, 10)}; best of ${REPEAT}.\n`,
  );
  console.log("| step | data | dw (s) | pandas (s) | dw ÷ pandas | target |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  console.log(
    `| quality check, data in memory (dw: the quality gate on the loaded dataset; pandas: describe, isna().sum, duplicated().sum, value_counts, ts min/max) | ${size} | ${s(dw.gate_s)} | ${s(pd.stats_s)} | ${ratio(dw.gate_s, pd.stats_s)} | ≤ 1× |`,
  );
  console.log(
    `| quality check with reading the data (dw: run_quality_check in a new process on the registered dataset, which reads the columns load_dataset kept; pandas: read_csv + the same) | ${size} | ${s(dw.tool_s)} | ${s(pd.read_s + pd.stats_s)} | ${ratio(dw.tool_s, pd.read_s + pd.stats_s)} | ≤ 1× |`,
  );
  console.log(
    `| the same check again on the same data version (dw: the profile stored by the first check; pandas has no such store: read_csv + the same) | ${size} | ${s(dw.stored_s)} | ${s(pd.read_s + pd.stats_s)} | ${ratio(dw.stored_s, pd.read_s + pd.stats_s)} | — |`,
  );
  console.log(
    `| load (dw: load_dataset, incl. hashing and caching the file; pandas: read_csv) | ${size} | ${s(dw.load_s)} | ${s(pd.read_s)} | ${ratio(dw.load_s, pd.read_s)} | — |`,
  );
  console.log(
    `\ndw: reading the kept columns ${s(dw.read_s)} s of run_quality_check's ${s(dw.tool_s)} s; profile ${s(dw.profile_ms / 1000)} s of the gate's ${s(dw.gate_s)} s; report ${dw.status}, score ${dw.score}.`,
  );
}

if (process.argv[2] === "--child-load") await childLoad(process.argv[3], process.argv[4]);
else if (process.argv[2] === "--child-check") await childCheck(process.argv[3]);
else {
  await main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
