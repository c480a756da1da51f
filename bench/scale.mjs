// Issue 18's "scale past memory" row: a 10M × 20 numeric CSV (about 1.9 GB) loaded, profiled and
// trained through the CLI, each command's peak memory against the data's size in memory (20 float64
// columns: 10M × 20 × 8 bytes = 1.49 GiB; target: peak ≤ 2× that), beside the Python user's one
// process (read_csv + split + LinearRegression().fit + score) for time and memory.
//
//   node bench/scale.mjs [--rows N] [--write]     (after `npm run build`; from the repo root)
//
// The CSV is generated once, seeded (bench/lib/numericCsv.mjs), into $TMPDIR/dw-bench-commands/ and
// reused. Peak memory is the whole process tree's (bench/lib/timeWithPeak.mjs: sampled RSS and GNU
// time's high-water mark of the largest process), in MB of 2^20 bytes. --write puts the section into
// docs/benchmarks.md between <!-- scale:start --> and <!-- scale:end -->.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { numericCsv } from "./lib/numericCsv.mjs";
import { timeWithPeak } from "./lib/timeWithPeak.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WRITE = process.argv.includes("--write");
const i = process.argv.indexOf("--rows");
const ROWS = i > 0 ? Number(process.argv[i + 1]) : 10_000_000;
const FEATURES = 19;
/** The target: each command's peak resident memory at most this many times the data's size in memory. */
const LIMIT = 2;
const python = join(repo, ".venv", "bin", "python");

const dwEnv = { ...process.env };
delete dwEnv.DW_SHARED_CACHE;

const mb = (bytes) => bytes / 2 ** 20;
const fmt = (n, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function dw(ws, args) {
  process.stderr.write(`  dw ${args[0]} …\n`);
  const r = await timeWithPeak(process.execPath, [join(repo, "bin", "dw.js"), ...args], { cwd: ws, env: dwEnv });
  return { ...r, json: JSON.parse(r.stdout) };
}

async function main() {
  if (!Number.isInteger(ROWS) || ROWS < 1000) throw new Error(`--rows must be a whole number of at least 1000, not ${process.argv[i + 1]}`);
  const loadStart = loadavg()[0];
  const started = Date.now();
  const { createRandom } = await import(pathToFileURL(join(repo, "dist", "src", "models", "random.js")).href);
  const dir = join(tmpdir(), "dw-bench-commands");
  process.stderr.write(`data in ${dir} (generated once; ${fmt(ROWS)} rows take minutes the first time) …\n`);
  const data = numericCsv({ dir, name: "regression", rows: ROWS, features: FEATURES, task: "regression", createRandom });
  const csvBytes = statSync(data.csv).size;
  const inMemory = ROWS * (FEATURES + 1) * 8;

  const ws = mkdtempSync(join(tmpdir(), "dw-bench-scale-ws-"));
  execFileSync("git", ["init", "-q"], { cwd: ws });
  let load;
  let quality;
  let train;
  try {
    load = await dw(ws, ["load_dataset", "--path", data.csv, "--dataset_id", "big"]);
    quality = await dw(ws, ["run_quality_check", "--dataset_id", "big"]);
    train = await dw(ws, ["train_model", "--dataset_id", "big", "--target", "y", "--algorithm", "linear_regression"]);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
  process.stderr.write("  python read_csv + split + fit + score …\n");
  const py = await timeWithPeak(python, [join(repo, "bench", "commands_python.py"), "train", data.csv, "y", "linear"]);
  const pyJson = JSON.parse(py.stdout.trim().split("\n").pop());

  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
  } catch {}
  const dataMb = mb(inMemory);
  const row = (what, r, extra) => {
    const ratio = r.peakMb / dataMb;
    return `| ${what} | ${fmt(r.seconds, 1)} s | ${fmt(r.peakMb)} | ${fmt(ratio, 2)}× | ≤ ${LIMIT}× | ${ratio <= LIMIT ? "yes" : "**no**"} | ${extra} |`;
  };
  const t = train.json.timings ?? {};
  const lines = [
    "## Past memory: 10M rows from a CSV (issue 18)",
    "",
    `\`node bench/scale.mjs --write\` (part of \`npm run bench\`). A seeded ${fmt(ROWS)} × ${FEATURES + 1} numeric CSV (${fmt(csvBytes / 1e9, 2)} GB; the`,
    "same generator as the whole-command rows) through the CLI in a fresh workspace, one command after the other, each a whole",
    `process. "In memory" is the data as 20 float64 columns: ${fmt(dataMb)} MB. Peak is the whole process tree's resident memory`,
    "(sampled, and GNU time's high-water mark of the largest process), MB of 2^20 bytes.",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} cores, Node ${process.version}; dw at ${commit}; load average ${loadStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end; ${fmt((Date.now() - started) / 60000, 1)} min in all.`,
    "",
    "| command | time | peak MB | peak ÷ data in memory | target | met | notes |",
    "| --- | ---: | ---: | ---: | ---: | :---: | --- |",
    row("`dw load_dataset` (first load)", load, `${fmt(load.json.rows ?? ROWS)} rows`),
    row("`dw run_quality_check`", quality, `gate status: ${quality.json.status}`),
    row(
      "`dw train_model --algorithm linear_regression`, whole command",
      train,
      `fit ${fmt(t.fit_s ?? Number.NaN, 2)} s, load ${fmt(t.load_s ?? Number.NaN, 2)} s; r2 ${fmt(train.json.metrics?.r2 ?? Number.NaN, 4)}`,
    ),
    `| python: \`read_csv\` + split + \`LinearRegression().fit\` + score, one process | ${fmt(py.seconds, 1)} s | ${fmt(py.peakMb)} | ${fmt(py.peakMb / dataMb, 2)}× | — |  | read_csv ${fmt(pyJson.read_s, 1)} s, fit ${fmt(pyJson.fit_s, 1)} s |`,
  ];
  const text = lines.join("\n");
  console.log(`\n${text}`);
  if (WRITE) {
    const doc = join(repo, "docs", "benchmarks.md");
    const start = "<!-- scale:start -->";
    const end = "<!-- scale:end -->";
    const before = readFileSync(doc, "utf8");
    const section = `${start}\n${text}\n${end}`;
    const a = before.indexOf(start);
    const b = before.indexOf(end);
    writeFileSync(doc, a >= 0 && b > a ? `${before.slice(0, a)}${section}${before.slice(b + end.length)}` : `${before.trimEnd()}\n\n${section}\n`);
    console.log(`wrote the section into ${doc}`);
  }
}

await main();
