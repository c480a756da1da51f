#!/usr/bin/env node
// One step of the 100M-row run on an existing table file (bench/indatabaseTable.mjs), alone in its
// process so each can run under a memory watchdog and report its own peak RSS:
//
//   node bench/indatabaseStep.mjs profile|fit|train_linear|train_forest TABLE_FILE [--sample-rows N] [--features P]
//
// Prints one JSON line: the step, seconds, the step's own timings and peak RSS of this process.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { tableFeatures } from "./indatabaseTable.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [step, file] = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
if (!["profile", "fit", "train_linear", "train_forest"].includes(step) || !file)
  throw new Error("usage: node bench/indatabaseStep.mjs profile|fit|train_linear|train_forest TABLE_FILE [--sample-rows N]");
const features = tableFeatures(arg("features", 19));
const connection = `duckdb:${resolve(file)}`;
const { createToolContext, runTool } = await import(join(repo, "dist", "src", "index.js"));
const dir = await mkdtemp(join(tmpdir(), "dw-bench-step-"));
await promisify(execFile)("git", ["init", "-q", dir]);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
try {
  const ctx = await createToolContext({ cwd: dir, workspaceDir: dir });
  const t0 = performance.now();
  let detail;
  if (step === "profile") {
    const { profileSqlTable } = await import(join(repo, "dist", "src", "quality", "profileSqlTable.js"));
    const p = await profileSqlTable(ctx, { table: "t", connection }, { target: "y", topK: 10 });
    detail = { rows: p.rows, duplicateRows: p.duplicateRows };
  } else if (step === "fit") {
    const { trainLinearInDatabase } = await import(join(repo, "dist", "src", "training", "inDatabase", "trainLinearInDatabase.js"));
    const m = await trainLinearInDatabase(ctx, { source: { table: "t", connection }, target: "y", features, testSize: 0.2, seed: 42 });
    detail = { timings_ms: m.timings_ms, rows: m.rows, r2: m.metrics?.r2, impute: m.pipeline.steps.map((s) => s.impute), scans: m.sql.impute.length };
  } else {
    const input =
      step === "train_linear"
        ? { table: "t", connection, target: "y", features, seed: 42 }
        : {
            table: "t",
            connection,
            target: "y",
            features,
            seed: 42,
            algorithm: "random_forest",
            sample_rows: arg("sample-rows", 100_000),
            hyperparameters: { n_estimators: 20 },
          };
    const r = await runTool("train_model", input, ctx);
    if (!r.ok) throw new Error(`train_model failed: ${JSON.stringify(r.error)}`);
    detail = { timings: r.output.timings, metrics: r.output.metrics };
  }
  clearInterval(sampler);
  console.log(JSON.stringify({ step, seconds: (performance.now() - t0) / 1000, peak_rss_mb: Math.round(peakRss / 1e6), ...detail }));
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
