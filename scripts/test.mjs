#!/usr/bin/env node
// Runs every compiled test, dist/test/**/*.test.js, with Node's test runner: unit tests first, then
// the *.integration.test.js files (they start Jupyter servers and browsers). Everything runs one
// file at a time so that the integration tests do not fight for the two cores and ports.
//
//   node scripts/test.mjs [substring...]     only the files whose path contains one of the substrings
//
// Run `node scripts/setup.mjs --for-tests` first (`npm test` does). A TAP copy of the results goes
// to test-output/tests.tap.
//
// dw keeps a machine-wide copy of its cost calibration in DW_CACHE_DIR (else ~/.cache/dw), which
// every train_model reads and a fresh one writes. The tests get a folder of their own for each
// run, so they neither read a calibration the user's dw made nor overwrite it, and a run does not
// depend on what an earlier run left there (a DW_CACHE_DIR of the caller's is one of the user's too).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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
const ordered = [...files.filter((f) => !isIntegration(f)), ...files.filter(isIntegration)];
if (ordered.length === 0) {
  console.error(`[test] no test files${filters.length ? ` match ${filters.join(", ")}` : ""} under dist/test/.`);
  process.exit(1);
}

const out = join(repo, "test-output");
mkdirSync(out, { recursive: true });
const tap = join(out, "tests.tap");
const args = [
  "--test",
  "--test-concurrency=1",
  // a default for tests that set no timeout of their own: long enough for a Jupyter server and a
  // browser to start on a slow machine, short enough that a hang ends the run
  "--test-timeout=600000",
  "--test-reporter=spec",
  "--test-reporter-destination=stdout",
  "--test-reporter=tap",
  `--test-reporter-destination=${tap}`,
  ...ordered,
];
console.log(`[test] ${ordered.length} files (${ordered.filter(isIntegration).length} integration)`);
const env = jupyterEnv(repo);
const cacheDir = mkdtempSync(join(tmpdir(), "dw-test-cache-"));
env.DW_CACHE_DIR = cacheDir;
const child = spawn(process.execPath, args, { cwd: repo, stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("close", (code, signal) => {
  // The spec reporter's summary uses "ℹ"; repeat TAP's plain "# pass N" lines as the last words.
  if (existsSync(tap)) {
    const summary = readFileSync(tap, "utf8")
      .split("\n")
      .filter((l) => /^# (tests|pass|fail|cancelled|skipped|todo|duration_ms) /.test(l));
    console.log(summary.join("\n"));
  }
  rmSync(cacheDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
