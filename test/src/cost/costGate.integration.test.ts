import { test, after } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, stat, writeFile, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok, err } from "../../helpers/results.js";
import { costGateForTraining } from "../../../src/cost/costGateForTraining.js";
import type { Calibration } from "../../../src/cost/calibrateCost.js";
import { renderResultHtml } from "../../../src/tools/renderResultHtml.js";
import { DW_VERSION } from "../../../src/version.js";

// How close an estimate comes to a real fit, and how fast an estimate is, are bench/cost.mjs's
// (`npm run bench`); these tests check what the gate does.

// The machine-wide copy goes to a folder of this file, empty at first, so the first estimate really measures.
const machineCache = await mkdtemp(join(tmpdir(), "dw-cost-cache-"));
process.env.DW_CACHE_DIR = machineCache;
const workspaces: TempWorkspace[] = [];
after(async () => {
  await Promise.all(workspaces.map((w) => w.cleanup()));
  await rm(machineCache, { recursive: true, force: true });
});

const calibrationFile = (tw: TempWorkspace) => join(tw.dir, ".dw", "cost-calibration.json");
const readCalibration = async (file: string) => JSON.parse(await readFile(file, "utf8")) as Calibration;

async function workspace(): Promise<{ tw: TempWorkspace; ctx: ToolContext }> {
  const tw = await makeTempWorkspace();
  workspaces.push(tw);
  return { tw, ctx: await createToolContext({ cwd: tw.dir, origin: { via: "test" } }) };
}

let measured: Promise<{ tw: TempWorkspace; ctx: ToolContext; first: Record<string, any> }> | undefined;
/**
 * The one measurement of this machine that the tests share, made by whichever test asks first: a
 * new workspace's first estimate, with the machine cache empty. It leaves the calibration in that
 * workspace and in the machine cache.
 */
function calibrated() {
  measured ??= (async () => {
    const w = await workspace();
    return { ...w, first: ok(await runTool("estimate_cost", { algorithm: "random_forest", rows: 100_000, features: 20 }, w.ctx)) };
  })();
  return measured;
}

/** A workspace of its own that holds the shared calibration, as one that has estimated before does. */
async function calibratedWorkspace(): Promise<{ tw: TempWorkspace; ctx: ToolContext }> {
  const source = calibrationFile((await calibrated()).tw);
  const w = await workspace();
  await mkdir(join(w.tw.dir, ".dw"), { recursive: true });
  await copyFile(source, calibrationFile(w.tw));
  return w;
}

test("the first estimate calibrates on this machine and keeps it; the next ones reuse it", async () => {
  const { tw, ctx, first } = await calibrated();
  assert.equal(first.gate, "cost");
  assert.equal(first.estimate.calibration.fresh, true);
  assert.ok(first.estimate.train_seconds > 0 && first.estimate.peak_memory_gb > 0);
  const saved = await readCalibration(calibrationFile(tw));
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
  console.log(`# calibration took ${saved.took_s} s on ${saved.machine.cpu_model} × ${saved.machine.cpus}`);

  const mtime = (await stat(calibrationFile(tw))).mtimeMs;
  const second = ok(await runTool("estimate_cost", { algorithm: "random_forest", rows: 100_000, features: 20 }, ctx));
  // A stored calibration is not measured again.
  assert.equal(second.estimate.calibration.fresh, false);
  assert.equal(second.estimate.calibration.calibrated_at, first.estimate.calibration.calibrated_at);
  assert.equal(second.estimate.train_seconds, first.estimate.train_seconds);
  assert.equal((await stat(calibrationFile(tw))).mtimeMs, mtime);
  // More trees cost more, in proportion.
  const more = ok(await runTool("estimate_cost", { algorithm: "random_forest", rows: 100_000, features: 20, hyperparameters: { n_estimators: 400 } }, ctx));
  assert.ok(more.estimate.train_seconds > 3 * second.estimate.train_seconds);
  assert.match(renderResultHtml("estimate_cost", second) ?? "", /peak memory/);
});

/**
 * Every estimator, for each task it was calibrated on: an estimate is a positive, finite time and
 * memory, and a job with twice the rows, or twice the features, is estimated to cost more of both.
 */
test("estimates are positive and grow with the rows and the features of the job", async () => {
  const { ctx } = await calibratedWorkspace();
  const jobs = [
    { estimator: "linear_regression", task: "regression", rows: 300_000, features: 30, hyperparameters: {} },
    { estimator: "logistic_regression", task: "classification", rows: 150_000, features: 20, hyperparameters: {} },
    { estimator: "decision_tree", task: "regression", rows: 80_000, features: 10, hyperparameters: {} },
    { estimator: "decision_tree", task: "classification", rows: 100_000, features: 10, hyperparameters: {} },
    { estimator: "random_forest", task: "classification", rows: 40_000, features: 16, hyperparameters: { n_estimators: 10 } },
    { estimator: "gradient_boosting", task: "regression", rows: 150_000, features: 12, hyperparameters: { max_iter: 25, early_stopping: false } },
  ];
  const estimate = async (j: (typeof jobs)[number], rows: number, features: number) => {
    const { estimate: e } = await costGateForTraining(ctx, { rows, features, algorithm: j.estimator, hyperparameters: j.hyperparameters, task: j.task });
    const fitBytes = e.memory_breakdown_gb.feature_matrix + e.memory_breakdown_gb.fit;
    assert.ok(Number.isFinite(e.train_seconds) && e.train_seconds > 0, `${j.estimator}: ${e.train_seconds} s`);
    assert.ok(Number.isFinite(fitBytes) && fitBytes > 0, `${j.estimator}: ${fitBytes} GB`);
    return { seconds: e.train_seconds, memory: fitBytes };
  };
  for (const j of jobs) {
    const base = await estimate(j, j.rows, j.features);
    for (const [what, bigger] of [
      ["twice the rows", await estimate(j, 2 * j.rows, j.features)],
      ["twice the features", await estimate(j, j.rows, 2 * j.features)],
    ] as const) {
      assert.ok(bigger.seconds > base.seconds, `${j.estimator} (${j.task}), ${what}: ${bigger.seconds} s vs ${base.seconds} s`);
      assert.ok(bigger.memory > base.memory, `${j.estimator} (${j.task}), ${what}: ${bigger.memory} GB vs ${base.memory} GB`);
    }
  }
});

test("the policy's limits: warn, or fail with on_exceed: block; a price turns time into dollars", async () => {
  const { tw, ctx } = await calibratedWorkspace();
  const policy = (text: string) => writeFile(join(tw.dir, "dw.policy.yaml"), text);
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
});

test("from a loaded dataset: rows, encoded features, task and classes come from the data", async () => {
  const { ctx } = await calibratedWorkspace();
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
  await calibrated();
  const machine = await readCalibration(join(machineCache, "cost-calibration.json"));
  const { tw, ctx } = await workspace();
  const r = ok(await runTool("estimate_cost", { algorithm: "decision_tree", rows: 1000, features: 5 }, ctx));
  // Not measured again: the machine's calibration, copied.
  assert.equal(r.estimate.calibration.fresh, false);
  assert.equal(r.estimate.calibration.calibrated_at, machine.calibrated_at);
  assert.equal((await readCalibration(calibrationFile(tw))).calibrated_at, machine.calibrated_at);
});

test("a calibration made on another machine or dw version is measured again", async () => {
  const { tw, ctx } = await calibratedWorkspace();
  const saved = await readCalibration(calibrationFile(tw));
  await writeFile(calibrationFile(tw), JSON.stringify({ ...saved, machine: { ...saved.machine, cpus: saved.machine.cpus + 7, dw_version: "0.0.1" } }));
  // A machine cache of its own and empty, or the machine's calibration would be taken instead of measuring.
  const ownCache = await mkdtemp(join(tmpdir(), "dw-cost-cache-"));
  process.env.DW_CACHE_DIR = ownCache;
  try {
    const r = ok(await runTool("estimate_cost", { algorithm: "decision_tree", rows: 1000, features: 5 }, ctx));
    assert.equal(r.estimate.calibration.fresh, true);
  } finally {
    process.env.DW_CACHE_DIR = machineCache;
    await rm(ownCache, { recursive: true, force: true });
  }
  const again = await readCalibration(calibrationFile(tw));
  assert.equal(again.machine.cpus, cpus().length);
  assert.equal(again.machine.dw_version, DW_VERSION);
  assert.notEqual(again.calibrated_at, saved.calibrated_at);
});
