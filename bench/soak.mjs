#!/usr/bin/env node
// The long versions of two tests that `npm test` runs bounded, so the suite stays near 25 minutes
// on a 2-core machine while the soak still runs somewhere:
//   - the registry's crash safety (test/src/workspace/crashSafety.integration.test.ts): `npm test`
//     runs 12 rounds of one seed; this runs ROUNDS rounds (default 100) of each of SEEDS seeds;
//   - Binder's post-build (test/project/binder.integration.test.ts): `npm test` starts its clone
//     with this checkout's build; this runs it in a clean clone (DW_BINDER_CLEAN=1), so npm ci, tsc
//     and webpack run as on Binder.
// Each runs through scripts/test.mjs, with the same assertions; the exit code is non-zero if any fails.
//
//   node bench/soak.mjs [--rounds N] [--seeds a,b,c] [--only crash|binder]   (after `npm test`'s set-up)
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { rounds: { type: "string" }, seeds: { type: "string" }, only: { type: "string" } } });
const rounds = Number(values.rounds ?? 100);
const seeds = (values.seeds ?? "0x0d1e5eed,0x5eed0001,0x5eed0002").split(",").map((s) => s.trim());

/** Runs the test files matching `filter` with `env` added; answers whether they passed and how long they took. */
function run(label, filter, env) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(repo, "scripts", "test.mjs"), filter], { cwd: repo, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = (Date.now() - started) / 1000;
  return { label, ok: r.status === 0, seconds };
}

const results = [];
if (!values.only || values.only === "crash") {
  for (const seed of seeds) {
    results.push(
      run(`crash safety, seed ${seed}, ${rounds} rounds`, "src/workspace/crashSafety.", {
        DW_CRASH_SEED: String(Number(seed)),
        DW_CRASH_ROUNDS: String(rounds),
      }),
    );
  }
}
if (!values.only || values.only === "binder") results.push(run("Binder post-build in a clean clone", "project/binder.", { DW_BINDER_CLEAN: "1" }));

console.log("\n[soak] results:");
for (const r of results) console.log(`  ${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(0).padStart(5)} s  ${r.label}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
