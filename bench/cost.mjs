#!/usr/bin/env node
// The cost estimate against real fits, and how long an estimate takes: the targets the cost gate's
// tests held as assertions until they moved here (test/src/cost/costGate.integration.test.ts now
// checks what the gate does, not how close or how fast it is on this machine).
//
//   node bench/cost.mjs      (after `npx tsc -p .`; run from the repo root; about two minutes)
//
// In a new workspace with a machine cache of its own (DW_CACHE_DIR), so the user's calibration is
// neither read nor replaced:
//   - the first estimate calibrates (shown, no target: several seconds of measured fits);
//   - a second estimate reads the stored calibration, and a second new workspace starts from the
//     machine's copy: each within 2 s, i.e. nothing is measured again;
//   - fits several times larger than any calibration fit, each measured in its own process exactly
//     as calibration measures (src/cost/calibrationProbe.ts), land within 3× of the estimate, in
//     time and in memory.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { reportTargets } from "./lib/targets.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (...p) => join(repo, "dist", "src", ...p);
const dir = await mkdtemp(join(tmpdir(), "dw-bench-cost-"));
process.env.DW_CACHE_DIR = join(dir, "machine-cache");
const { createToolContext, runTool } = await import(dist("index.js"));
const { costGateForTraining } = await import(dist("cost", "costGateForTraining.js"));
const { probe, probeSeconds } = await import(dist("cost", "calibrateCost.js"));

const ok = (r) => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.output;
};
const timed = async (f) => {
  const t0 = performance.now();
  const out = await f();
  return { out, ms: performance.now() - t0 };
};

const workspace = async (name) => {
  await mkdir(join(dir, name));
  return createToolContext({ cwd: join(dir, name), workspaceDir: join(dir, name), origin: { via: "bench" } });
};

try {
  const ctx = await workspace("a");
  const job = { algorithm: "random_forest", rows: 100_000, features: 20 };
  const first = await timed(async () => ok(await runTool("estimate_cost", job, ctx)));
  const rows = [
    {
      what: "first estimate: calibrates this machine",
      measured: `${(first.ms / 1000).toFixed(1)} s (fits ${first.out.estimate.calibration.took_s} s)`,
      target: "none",
      ok: first.out.estimate.calibration.fresh,
    },
  ];
  const second = await timed(async () => ok(await runTool("estimate_cost", job, ctx)));
  rows.push({ what: "an estimate from the stored calibration", measured: `${second.ms.toFixed(0)} ms`, target: "< 2000 ms", ok: second.ms < 2000 });
  const other = await workspace("b");
  const copied = await timed(async () => ok(await runTool("estimate_cost", { algorithm: "decision_tree", rows: 1000, features: 5 }, other)));
  rows.push({
    what: "a new workspace's first estimate, from the machine's calibration",
    measured: `${copied.ms.toFixed(0)} ms`,
    target: "< 2000 ms",
    ok: copied.ms < 2000 && !copied.out.estimate.calibration.fresh,
  });

  const jobs = [
    { estimator: "linear_regression", task: "regression", rows: 300_000, features: 30, hyperparameters: {} },
    { estimator: "logistic_regression", task: "classification", rows: 150_000, features: 20, hyperparameters: {} },
    { estimator: "decision_tree", task: "regression", rows: 80_000, features: 10, hyperparameters: {} },
    { estimator: "decision_tree", task: "classification", rows: 100_000, features: 10, hyperparameters: {} },
    { estimator: "random_forest", task: "classification", rows: 40_000, features: 16, hyperparameters: { n_estimators: 10 } },
    { estimator: "gradient_boosting", task: "regression", rows: 150_000, features: 12, hyperparameters: { max_iter: 25, early_stopping: false } },
  ];
  const within3 = (ratio) => ratio >= 1 / 3 && ratio <= 3;
  for (const j of jobs) {
    const [measured] = await probe([j]);
    const est = await costGateForTraining(ctx, {
      rows: j.rows,
      features: j.features,
      algorithm: j.estimator,
      hyperparameters: j.hyperparameters,
      task: j.task,
    });
    const seconds = probeSeconds(measured);
    const timeRatio = est.estimate.train_seconds / seconds;
    const predictedBytes = (est.estimate.memory_breakdown_gb.feature_matrix + est.estimate.memory_breakdown_gb.fit) * 2 ** 30;
    const memRatio = predictedBytes / measured.job_peak_bytes;
    const name = `${j.estimator} (${j.task}) ${j.rows.toLocaleString("en-US")} × ${j.features}`;
    rows.push({
      what: `${name}: time, estimated / measured`,
      measured: `${est.estimate.train_seconds} s / ${seconds.toFixed(2)} s = ×${timeRatio.toFixed(2)}`,
      target: "×1/3 to ×3",
      ok: within3(timeRatio),
    });
    rows.push({
      what: `${name}: memory, estimated / measured`,
      measured: `${(predictedBytes / 2 ** 20).toFixed(0)} MB / ${(measured.job_peak_bytes / 2 ** 20).toFixed(0)} MB = ×${memRatio.toFixed(2)}`,
      target: "×1/3 to ×3",
      ok: within3(memRatio),
    });
  }
  reportTargets("Cost estimates (bench/cost.mjs)", rows);
} finally {
  await rm(dir, { recursive: true, force: true });
}
