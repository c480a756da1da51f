import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, stat, writeFile, rm } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";
import { costGateForTraining } from "../../../src/cost/costGateForTraining.js";
import { probe, probeSeconds, type Calibration } from "../../../src/cost/calibrateCost.js";
import type { ProbeRequest } from "../../../src/cost/calibrationProbe.js";
import { renderResultHtml } from "../../../src/tools/renderResultHtml.js";
import { DW_VERSION } from "../../../src/version.js";

let tw: TempWorkspace;
let ctx: ToolContext;
const calibrationFile = () => join(tw.dir, ".dw", "cost-calibration.json");
const policy = (text: string) => writeFile(join(tw.dir, "dw.policy.yaml"), text);

before(async () => {
  tw = await makeTempWorkspace();
  // The machine-wide copy goes to a folder of this test, so the first estimate really measures.
  process.env.DW_CACHE_DIR = join(tw.dir, "machine-cache");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
});
after(async () => tw.cleanup());

test("the first estimate calibrates on this machine and keeps it; the next ones reuse it", async () => {
  const t0 = performance.now();
  const first = ok(await runTool("estimate_cost", { algorithm: "random_forest", rows: 100_000, features: 20 }, ctx));
  const calibrateS = (performance.now() - t0) / 1000;
  assert.equal(first.gate, "cost");
  assert.equal(first.estimate.calibration.fresh, true);
  assert.ok(first.estimate.train_seconds > 0 && first.estimate.peak_memory_gb > 0);
  const saved = JSON.parse(await readFile(calibrationFile(), "utf8")) as Calibration;
  assert.equal(saved.machine.cpus, cpus().length);
  assert.equal(saved.machine.cpu_model, cpus()[0].model);
  assert.equal(saved.machine.dw_version, DW_VERSION);
  for (const e of [
    "linear_regression:regression",
    "logistic_regression:classification",
    "decision_tree:regression",
    "decision_tree:classification",
    "random_forest:regression",
    "random_forest:classification",
    "gradient_boosting:regression",
  ]) {
    assert.equal(saved.estimators[e].points.length, 2, e);
    assert.ok(saved.estimators[e].time.b > 0 && saved.estimators[e].memory.b > 0, e);
  }
  console.log(`# calibration took ${saved.took_s} s (call ${calibrateS.toFixed(1)} s wall) on ${saved.machine.cpu_model} × ${saved.machine.cpus}`);

  const mtime = (await stat(calibrationFile())).mtimeMs;
  const t1 = performance.now();
  const second = ok(await runTool("estimate_cost", { algorithm: "random_forest", rows: 100_000, features: 20 }, ctx));
  assert.ok(performance.now() - t1 < 2000, "a stored calibration is not measured again");
  assert.equal(second.estimate.calibration.fresh, false);
  assert.equal(second.estimate.calibration.calibrated_at, first.estimate.calibration.calibrated_at);
  assert.equal(second.estimate.train_seconds, first.estimate.train_seconds);
  assert.equal((await stat(calibrationFile())).mtimeMs, mtime);
  // More trees cost more, in proportion.
  const more = ok(await runTool("estimate_cost", { algorithm: "random_forest", rows: 100_000, features: 20, hyperparameters: { n_estimators: 400 } }, ctx));
  assert.ok(more.estimate.train_seconds > 3 * second.estimate.train_seconds);
  assert.match(renderResultHtml("estimate_cost", second) ?? "", /peak memory/);
});

/**
 * The real check: a fit several times larger than any calibration fit, measured in its own process
 * exactly as calibration measures, must land within 3× of the estimate, in time and in memory.
 */
test("estimates are within 3× of real measured fits of larger datasets", async () => {
  const jobs: ProbeRequest[] = [
    { estimator: "linear_regression", task: "regression", rows: 300_000, features: 30, hyperparameters: {} },
    { estimator: "logistic_regression", task: "classification", rows: 150_000, features: 20, hyperparameters: {} },
    { estimator: "decision_tree", task: "regression", rows: 80_000, features: 10, hyperparameters: {} },
    { estimator: "decision_tree", task: "classification", rows: 100_000, features: 10, hyperparameters: {} },
    { estimator: "random_forest", task: "classification", rows: 40_000, features: 16, hyperparameters: { n_estimators: 10 } },
    { estimator: "gradient_boosting", task: "regression", rows: 150_000, features: 12, hyperparameters: { max_iter: 25, early_stopping: false } },
  ];
  const rows: string[] = [];
  const failures: string[] = [];
  for (const job of jobs) {
    const [measured] = await probe([job]);
    const est = await costGateForTraining(ctx, {
      rows: job.rows,
      features: job.features,
      algorithm: job.estimator,
      hyperparameters: job.hyperparameters,
      task: job.task,
    });
    const seconds = probeSeconds(measured);
    const timeRatio = est.estimate.train_seconds / seconds;
    const predictedJob = (est.estimate.memory_breakdown_gb.feature_matrix + est.estimate.memory_breakdown_gb.fit) * 2 ** 30;
    const memRatio = predictedJob / measured.job_peak_bytes;
    rows.push(
      `${job.estimator} ${job.rows}×${job.features}: ${seconds.toFixed(2)} s measured, ${est.estimate.train_seconds} s estimated (×${timeRatio.toFixed(2)}); ${(measured.job_peak_bytes / 2 ** 20).toFixed(0)} MB measured, ${(predictedJob / 2 ** 20).toFixed(0)} MB estimated (×${memRatio.toFixed(2)})`,
    );
    if (!(timeRatio >= 1 / 3 && timeRatio <= 3)) failures.push(`${job.estimator} time ×${timeRatio.toFixed(2)}`);
    if (!(memRatio >= 1 / 3 && memRatio <= 3)) failures.push(`${job.estimator} memory ×${memRatio.toFixed(2)}`);
  }
  console.log(rows.map((r) => `# ${r}`).join("\n"));
  assert.deepEqual(failures, [], rows.join("\n"));
});

test("the policy's limits: warn, or fail with on_exceed: block; a price turns time into dollars", async () => {
  await policy("cost:\n  max_train_seconds: 0.01\n  price_per_hour_usd: 3.6\n");
  const warned = ok(await runTool("estimate_cost", { algorithm: "gradient_boosting", rows: 50_000, features: 10 }, ctx));
  assert.equal(warned.status, "warn");
  const f = warned.findings.find((x: { check: string }) => x.check === "max_train_seconds");
  assert.equal(f.status, "warn");
  assert.equal(f.threshold, 0.01);
  assert.match(f.message, /over the limit of 0\.01 s; the policy only warns/);
  assert.ok(Math.abs(warned.estimate.cost_usd - warned.estimate.train_seconds / 1000) <= 0.002 * warned.estimate.cost_usd + 1e-9, "3.6 $/h is 0.001 $/s");
  assert.ok(warned.estimate.notes.some((n: string) => /Early stopping is on/.test(n)));

  await policy("cost:\n  max_peak_memory_gb: 0.001\n  price_per_hour_usd: 1\n  max_cost_usd: 100\n  on_exceed: block\n");
  const blocked = await costGateForTraining(ctx, { rows: 50_000, features: 10, algorithm: "linear_regression" });
  assert.equal(blocked.status, "fail");
  assert.equal(blocked.findings.find((x) => x.check === "max_peak_memory_gb")!.status, "fail");
  assert.equal(blocked.findings.find((x) => x.check === "max_cost_usd")!.status, "pass");
  assert.match(blocked.summary, /blocked/);

  await policy("cost:\n  on_exceed: sometimes\n");
  const bad = err(await runTool("estimate_cost", { algorithm: "linear_regression", rows: 10, features: 2 }, ctx));
  assert.equal(bad.code, "CONFIG_ERROR");
  assert.match(bad.message, /line 2, field cost\.on_exceed/);
  await rm(join(tw.dir, "dw.policy.yaml"));
});

test("from a loaded dataset: rows, encoded features, task and classes come from the data", async () => {
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  const r = ok(await runTool("estimate_cost", { algorithm: "random_forest", dataset_id: "weather", target: "weather" }, ctx));
  assert.equal(r.estimate.rows, 1461);
  // date → 5 parts, precipitation, temp_max, temp_min, wind → 1 each.
  assert.equal(r.estimate.features, 9);
  assert.equal(r.estimate.task, "classification");
  const e = err(await runTool("estimate_cost", { algorithm: "random_forest", rows: 10 }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /features: rows and features go together/);
  assert.equal(
    err(await runTool("estimate_cost", { algorithm: "linear_regression", rows: 10, features: 2, task: "classification" }, ctx)).code,
    "INVALID_INPUT",
  );
});

test("a new workspace on the same machine starts from the machine's calibration and keeps its own copy", async () => {
  const other = await makeTempWorkspace();
  try {
    const octx = await createToolContext({ cwd: other.dir, origin: { via: "test" } });
    const t0 = performance.now();
    const r = ok(await runTool("estimate_cost", { algorithm: "decision_tree", rows: 1000, features: 5 }, octx));
    assert.ok(performance.now() - t0 < 2000, "not measured again");
    assert.equal(r.estimate.calibration.fresh, false);
    const mine = JSON.parse(await readFile(calibrationFile(), "utf8")) as Calibration;
    const theirs = JSON.parse(await readFile(join(other.dir, ".dw", "cost-calibration.json"), "utf8")) as Calibration;
    assert.equal(theirs.calibrated_at, mine.calibrated_at);
  } finally {
    await other.cleanup();
  }
});

test("a calibration made on another machine or dw version is measured again", async () => {
  await rm(join(process.env.DW_CACHE_DIR!, "cost-calibration.json"), { force: true });
  const saved = JSON.parse(await readFile(calibrationFile(), "utf8")) as Calibration;
  await writeFile(calibrationFile(), JSON.stringify({ ...saved, machine: { ...saved.machine, cpus: saved.machine.cpus + 7, dw_version: "0.0.1" } }));
  const r = ok(await runTool("estimate_cost", { algorithm: "decision_tree", rows: 1000, features: 5 }, ctx));
  assert.equal(r.estimate.calibration.fresh, true);
  const again = JSON.parse(await readFile(calibrationFile(), "utf8")) as Calibration;
  assert.equal(again.machine.cpus, cpus().length);
  assert.equal(again.machine.dw_version, DW_VERSION);
  assert.notEqual(again.calibrated_at, saved.calibrated_at);
});
