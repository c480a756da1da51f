import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { createRandom } from "../../../src/models/random.js";
import { ok } from "../../helpers/results.js";

const python = process.env.DW_PYTHON ?? join(repoRoot, ".venv", "bin", "python");
let tw: TempWorkspace;
let ctx: ToolContext;
const features = ["temp_min", "precipitation", "wind", "noise"];

before(async () => {
  tw = await makeTempWorkspace("dw-explain-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  // seattle-weather with a column of pure noise, which no model should lean on.
  const lines = (await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n");
  const rand = createRandom(99);
  await writeFile(join(tw.dir, "data", "noisy.csv"), lines.map((l, i) => `${l},${i === 0 ? "noise" : (rand() * 20).toFixed(3)}`).join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/noisy.csv", dataset_id: "noisy" }, ctx));
});
after(async () => tw.cleanup());

test("linear regression: temp_min ranks first, noise has no importance, coefficients are train_model's", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "noisy", target: "temp_max", features, algorithm: "linear_regression" }, ctx));
  const ex = ok(await runTool("explain_model", { model_id: run.run_id }, ctx));
  assert.equal(ex.metric, "r2");
  assert.equal(ex.rows, run.rows.test);
  assert.equal(ex.evaluation, "holdout");
  assert.equal(ex.baseline, run.metrics.r2);
  const pi = ex.permutation_importance as { feature: string; mean: number; std: number }[];
  assert.deepEqual(pi.map((p) => p.feature).sort(), [...features].sort());
  assert.equal(pi[0].feature, "temp_min");
  assert.ok(pi[0].mean > 0.5, `temp_min importance ${pi[0].mean}`);
  const noise = pi.find((p) => p.feature === "noise")!;
  assert.ok(Math.abs(noise.mean) < 0.01, `noise importance ${noise.mean}`);
  for (let k = 1; k < pi.length; k++) assert.ok(pi[k - 1].mean >= pi[k].mean);
  assert.equal(ex.coefficients.length, 1);
  assert.deepEqual(ex.coefficients[0].values, run.model.coefficients);
  assert.equal(ex.coefficients[0].intercept, run.model.intercept);
  assert.equal(ex.gain_importance, undefined);

  assert.equal(ex.chart.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(
    ex.chart.data.values.map((v: { feature: string }) => v.feature),
    pi.map((p) => p.feature),
  );

  // Same seed, same answer; another seed, other shuffles.
  assert.deepEqual(ok(await runTool("explain_model", { model_id: run.run_id }, ctx)).permutation_importance, pi);
  assert.notDeepEqual(ok(await runTool("explain_model", { model_id: run.run_id, seed: 1 }, ctx)).permutation_importance, pi);
});

test("trees: gain importance sums to 1 and ranks temp_min first; max_rows samples rows", async () => {
  for (const [algorithm, hp] of [
    ["decision_tree", { max_depth: 6 }],
    ["random_forest", { n_estimators: 10 }],
    ["gradient_boosting", { max_iter: 20 }],
  ] as const) {
    const run = ok(await runTool("train_model", { dataset_id: "noisy", target: "temp_max", features, algorithm, hyperparameters: hp }, ctx));
    const ex = ok(await runTool("explain_model", { model_id: run.run_id, n_repeats: 3, max_rows: 100 }, ctx));
    assert.equal(ex.rows, 100);
    assert.match(ex.note, /sample of 100 of the 292 rows/);
    assert.equal(ex.permutation_importance[0].feature, "temp_min", algorithm);
    const gains = ex.gain_importance as { feature: string; importance: number }[];
    assert.ok(Math.abs(gains.reduce((a, g) => a + g.importance, 0) - 1) < 1e-12, algorithm);
    assert.equal(gains[0].feature, "temp_min", algorithm);
    assert.equal(ex.coefficients, undefined);
  }
});

test("classification: accuracy drops, logistic coefficients per class, and another dataset", async () => {
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "noisy", target: "weather", features: ["precipitation", "temp_max", "wind", "noise"], algorithm: "logistic_regression" },
      ctx,
    ),
  );
  const ex = ok(await runTool("explain_model", { model_id: run.run_id, dataset_id: "noisy", n_repeats: 2 }, ctx));
  assert.equal(ex.metric, "accuracy");
  assert.equal(ex.evaluation, "dataset");
  assert.equal(ex.rows, 1461);
  assert.equal(ex.permutation_importance[0].feature, "precipitation");
  assert.deepEqual(
    ex.coefficients.map((c: { class: string }) => c.class),
    ["drizzle", "fog", "rain", "snow", "sun"],
  );
  assert.deepEqual(Object.keys(ex.coefficients[0].values), ["precipitation", "temp_max", "wind", "noise"]);
});

test("scoring: the importance is the drop in the score asked for (baseline = evaluate_model's metric on the same rows); a scoring for another task names the ones that apply", async () => {
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "noisy", target: "weather", features: ["precipitation", "temp_max", "wind", "noise"], algorithm: "logistic_regression" },
      ctx,
    ),
  );
  const ev = ok(await runTool("evaluate_model", { model_id: run.run_id }, ctx));
  for (const [scoring, expected] of [
    ["neg_log_loss", -ev.metrics.log_loss],
    ["roc_auc_ovr", ev.metrics.roc_auc],
    ["f1_macro", ev.metrics.f1],
  ] as const) {
    const ex = ok(await runTool("explain_model", { model_id: run.run_id, scoring, n_repeats: 2, max_rows: 100_000 }, ctx));
    assert.equal(ex.metric, scoring);
    assert.ok(Math.abs(ex.baseline - expected) < 1e-12, `${scoring}: baseline ${ex.baseline} vs evaluate_model ${expected}`);
    assert.equal(ex.permutation_importance[0].feature, "precipitation", scoring);
  }
  const reg = ok(await runTool("train_model", { dataset_id: "noisy", target: "temp_max", features, algorithm: "linear_regression" }, ctx));
  const rmse = ok(await runTool("explain_model", { model_id: reg.run_id, scoring: "neg_root_mean_squared_error", n_repeats: 2 }, ctx));
  assert.ok(rmse.baseline < 0 && rmse.permutation_importance[0].mean > 0, "shuffling temp_min raises the error");
  const wrong = await runTool("explain_model", { model_id: reg.run_id, scoring: "roc_auc" }, ctx);
  assert.equal(wrong.ok, false);
  if (!wrong.ok) {
    assert.equal(wrong.error.code, "INVALID_INPUT");
    assert.match(wrong.error.hint ?? "", /r2, neg_root_mean_squared_error, neg_mean_absolute_error/);
  }
});

test("permutation importance agrees with sklearn.inspection.permutation_importance on the same model and rows (within sampling error)", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "noisy", target: "temp_max", features, algorithm: "linear_regression" }, ctx));
  const ex = ok(await runTool("explain_model", { model_id: run.run_id, dataset_id: "noisy", n_repeats: 30 }, ctx));
  const script = `
import sys, json, numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.inspection import permutation_importance
m = json.loads(sys.argv[2])
d = np.genfromtxt(sys.argv[1], delimiter=",", names=True, dtype=None, encoding="utf8")
cols = list(m["coefficients"].keys())
X = np.column_stack([d[c].astype(float) for c in cols]); y = d["temp_max"].astype(float)
est = LinearRegression().fit(X, y)
est.coef_ = np.array([m["coefficients"][c] for c in cols]); est.intercept_ = m["intercept"]
r = permutation_importance(est, X, y, n_repeats=30, random_state=0, scoring="r2")
json.dump({c: [float(r.importances_mean[j]), float(r.importances_std[j])] for j, c in enumerate(cols)}, sys.stdout)
`;
  const ref = JSON.parse(execFileSync(python, ["-c", script, join(tw.dir, "data", "noisy.csv"), JSON.stringify(run.model)], { encoding: "utf8" }));
  for (const p of ex.permutation_importance as { feature: string; mean: number; std: number }[]) {
    const [mean, std] = ref[p.feature];
    const tolerance = 4 * Math.sqrt((std ** 2 + p.std ** 2) / 30) + 1e-3;
    assert.ok(Math.abs(p.mean - mean) <= tolerance, `${p.feature}: dw ${p.mean}, sklearn ${mean} (tolerance ${tolerance})`);
    assert.ok(Math.abs(p.std - std) <= Math.max(0.5 * std, 2e-3), `${p.feature} std: dw ${p.std}, sklearn ${std}`);
  }
});
