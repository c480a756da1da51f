#!/usr/bin/env node
// Runs every compiled test, dist/test/**/*.test.js, with Node's test runner, one process per file:
// first the unit test files, several at a time (DW_TEST_JOBS, else one per core, at most 4: each
// makes its own temporary workspace and binds no fixed port, so they do not meet); then the
// *.integration.test.js files, two at a time, except those in ALONE below (a browser, timed kills),
// which run with nothing beside them. A file's output is printed when it ends (at once for a file
// that runs alone), with how long it took; at the end come the time of each phase and the slowest
// files, so a slow suite says where its time goes.
//
//   node scripts/test.mjs [substring...]     only the files whose path contains one of the substrings
//
// Run `node scripts/setup.mjs --for-tests` first (`npm test` does). The files' TAP, in order, goes
// to test-output/tests.tap.
//
// dw keeps a machine-wide copy of its cost calibration in DW_CACHE_DIR (else ~/.cache/dw), which
// every train_model reads and a fresh one writes. The tests get a folder of their own for each
// run, so they neither read a calibration the user's dw made nor overwrite it, and a run does not
// depend on what an earlier run left there (a DW_CACHE_DIR of the caller's is one of the user's too).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jupyterEnv } from "./lib/jupyterEnv.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);
const distTest = join(repo, "dist", "test");

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? findTests(join(dir, e.name)) : e.name.endsWith(".test.js") ? [join(dir, e.name)] : [],
  );
}

if (!existsSync(distTest)) {
  console.error("[test] dist/test/ is missing: run `node scripts/setup.mjs --for-tests` (or `npm test`) first.");
  process.exit(1);
}
// tsc does not delete the output of a removed or renamed test, so only files with a source still run.
const hasSource = (f) => existsSync(join(repo, relative(join(repo, "dist"), f).replace(/\.js$/, ".ts")));
const files = findTests(distTest)
  .filter(hasSource)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(repo, f).includes(s)))
  .sort();
const isIntegration = (f) => f.endsWith(".integration.test.js");
const units = files.filter((f) => !isIntegration(f));
const integrations = files.filter(isIntegration);
if (files.length === 0) {
  console.error(`[test] no test files${filters.length ? ` match ${filters.join(", ")}` : ""} under dist/test/.`);
  process.exit(1);
}
const jobs = Math.max(1, Number(process.env.DW_TEST_JOBS) || Math.min(availableParallelism(), 4));
// Integration files mostly wait (a kernel starting, a server answering, a child process), so two
// run side by side; DW_TEST_INTEGRATION_JOBS=1 runs them one at a time.
const integrationJobs = Math.max(1, Number(process.env.DW_TEST_INTEGRATION_JOBS) || Math.min(jobs, 2));
// These have the machine to themselves: a real JupyterLab with a kernel and Chromium takes both
// cores, and the others time kills, lock ages or waits against the clock, which a neighbour's load
// would shift. A new file of that kind belongs here.
const ALONE = [
  "browser/",
  "src/workspace/crashSafety.",
  "src/workspace/concurrency.",
  "src/workspace/lock.",
  "src/sync/pullLock.",
  "src/server/restartAfterKill.",
  "src/server/workers.",
];
const alone = (f) => ALONE.some((p) => relative(distTest, f).startsWith(p));

const out = join(repo, "test-output");
mkdirSync(out, { recursive: true });
// Each file's TAP is written apart (files run side by side) and joined into tests.tap at the end.
const tapDir = mkdtempSync(join(tmpdir(), "dw-test-tap-"));
const env = jupyterEnv(repo);
const cacheDir = mkdtempSync(join(tmpdir(), "dw-test-cache-"));
env.DW_CACHE_DIR = cacheDir;
// Output of files run side by side is held until the file ends; keep the spec reporter's colours.
if (process.stdout.isTTY && env.FORCE_COLOR === undefined) env.FORCE_COLOR = "1";

const children = new Set();
let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopping = true;
    for (const c of children) c.kill(sig);
  });
}

/** Runs one test file in its own `node --test`; resolves to what it took and what it said. */
function runFile(file, { live }) {
  const rel = relative(repo, file);
  const tap = join(tapDir, `${rel.replace(/[\\/]/g, "__")}.tap`);
  const args = [
    "--test",
    // a default for tests that set no timeout of their own: long enough for a Jupyter server and a
    // browser to start on a slow machine, short enough that a hang ends the run
    "--test-timeout=600000",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tap}`,
    file,
  ];
  const started = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ["ignore", live ? "inherit" : "pipe", live ? "inherit" : "pipe"] });
    children.add(child);
    let text = "";
    child.stdout?.on("data", (d) => (text += d));
    child.stderr?.on("data", (d) => (text += d));
    child.on("close", (code, signal) => {
      children.delete(child);
      const ms = Date.now() - started;
      if (!live) process.stdout.write(text);
      const ok = code === 0;
      console.log(`[test] ${ok ? "ok  " : "FAIL"} ${(ms / 1000).toFixed(1).padStart(6)} s  ${rel}${ok ? "" : ` (${signal ?? `exit ${code}`})`}`);
      resolveRun({ rel, ms, ok, tap: existsSync(tap) ? readFileSync(tap, "utf8") : "" });
    });
  });
}

/**
 * Runs `list` in order with at most `width` files at once; a file `alone` says must run alone
 * waits for the others to end and holds the machine until it ends. Answers the results in list order.
 */
async function runPhase(name, list, width, alone = () => false) {
  const started = Date.now();
  const results = new Array(list.length);
  const running = new Set();
  for (const [i, file] of list.entries()) {
    if (stopping) break;
    const solo = width === 1 || alone(file);
    if (solo) await Promise.all(running);
    while (running.size >= width) await Promise.race(running);
    const run = runFile(file, { live: solo }).then((r) => {
      results[i] = r;
      running.delete(run);
    });
    running.add(run);
    if (solo) await run;
  }
  await Promise.all(running);
  return { name, ms: Date.now() - started, width, results: results.filter(Boolean) };
}

const phases = [];
try {
  console.log(
    `[test] ${files.length} files: ${units.length} unit (${jobs} at a time), then ${integrations.length} integration ` +
      `(${integrationJobs} at a time, ${integrations.filter(alone).length} of them alone)`,
  );
  if (units.length) phases.push(await runPhase("unit", units, jobs));
  if (integrations.length && !stopping) phases.push(await runPhase("integration", integrations, integrationJobs, alone));
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(tapDir, { recursive: true, force: true });
}

const all = phases.flatMap((p) => p.results);
writeFileSync(join(out, "tests.tap"), all.map((r) => `# file: ${r.rel} (${r.ms} ms)\n${r.tap}`).join("\n"));
const keys = ["tests", "pass", "fail", "cancelled", "skipped", "todo"];
const totals = Object.fromEntries(keys.map((k) => [k, 0]));
for (const r of all) for (const k of keys) totals[k] += Number(r.tap.match(new RegExp(`^# ${k} (\\d+)$`, "m"))?.[1] ?? 0);
const failed = all.filter((r) => !r.ok);

console.log("\n[test] where the time went:");
for (const p of phases) console.log(`  ${p.name.padEnd(12)} ${(p.ms / 1000).toFixed(1).padStart(7)} s  ${p.results.length} files, ${p.width} at a time`);
console.log("[test] slowest files:");
for (const r of [...all].sort((a, b) => b.ms - a.ms).slice(0, 15)) console.log(`  ${(r.ms / 1000).toFixed(1).padStart(7)} s  ${r.rel}`);
if (failed.length) console.log(`[test] failed files:\n${failed.map((r) => `  ${r.rel}`).join("\n")}`);
// The spec reporter's summary uses "ℹ"; TAP's plain "# pass N" lines, summed, are the last words.
console.log(keys.map((k) => `# ${k} ${totals[k]}`).join("\n"));
console.log(`# duration_ms ${phases.reduce((s, p) => s + p.ms, 0)}`);
process.exit(stopping || failed.length || all.length < files.length ? 1 : 0);
