import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { loadModel, scoreModel } from "../../../src/models/scoreModel.js";
import { ok, err } from "../../helpers/results.js";

let tw: TempWorkspace;
let ctx: ToolContext;
let csvLines: string[];

before(async () => {
  tw = await makeTempWorkspace("dw-evaluate-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  csvLines = (await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8")).trim().split("\n");
});
after(async () => tw.cleanup());

test("without a dataset, evaluate_model reproduces train_model's held-out metrics exactly (regression and classification)", async () => {
  for (const [algorithm, target, hp] of [
    ["linear_regression", "temp_max", {}],
    ["gradient_boosting", "temp_max", { max_iter: 20 }],
    ["logistic_regression", "weather", {}],
    ["random_forest", "weather", { n_estimators: 10 }],
  ] as const) {
    const run = ok(await runTool("train_model", { dataset_id: "weather", target, algorithm, hyperparameters: hp, test_size: 0.25, seed: 3 }, ctx));
    const ev = ok(await runTool("evaluate_model", { model_id: run.run_id }, ctx));
    assert.equal(ev.evaluation, "holdout");
    assert.equal(ev.rows, run.rows.test, algorithm);
    assert.equal(ev.task, run.task);
    assert.deepEqual(ev.metrics, run.metrics, algorithm);
    assert.deepEqual(ev.confusion_matrix, run.confusion_matrix);
    assert.deepEqual(ev.classes, run.classes);
    if (run.task === "regression") assert.deepEqual(Object.keys(ev.metrics), ["r2", "rmse", "mae", "mape"]);
    else assert.deepEqual(Object.keys(ev.metrics), ["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"]);
  }
});

test("a k-fold run is evaluated on every row, and says so", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"], cv_folds: 3 }, ctx));
  const ev = ok(await runTool("evaluate_model", { model_id: run.run_id }, ctx));
  assert.equal(ev.evaluation, "all_rows");
  assert.equal(ev.rows, 1461);
  assert.match(ev.note, /3-fold/);
});

test("on another dataset, the metrics are those of the model's own predictions on its rows", async () => {
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: ["temp_min", "precipitation", "weather"], algorithm: "linear_regression" },
      ctx,
    ),
  );
  // The 2015 rows, with columns reordered and one extra column the model ignores.
  const header = csvLines[0].split(",");
  const rows = csvLines
    .slice(1)
    .filter((l) => l.startsWith("2015-"))
    .map((l) => l.split(","));
  const order = ["weather", "temp_min", "extra", "precipitation", "temp_max"];
  await writeFile(
    join(tw.dir, "data", "w2015.csv"),
    [order.join(","), ...rows.map((r) => order.map((c) => (c === "extra" ? "x" : r[header.indexOf(c)])).join(","))].join("\n") + "\n",
  );
  ok(await runTool("load_dataset", { path: "data/w2015.csv" }, ctx));
  const ev = ok(await runTool("evaluate_model", { model_id: run.run_id, dataset_id: "w2015" }, ctx));
  assert.equal(ev.evaluation, "dataset");
  assert.equal(ev.dataset_id, "w2015");
  assert.equal(ev.rows, 365);
  const model = loadModel(execFileSync("git", ["show", `refs/dw/runs/${run.run_id}:model.json`], { cwd: tw.dir, encoding: "utf8" }), "model.json");
  const at = (c: string) => header.indexOf(c);
  const pred = scoreModel(model, {
    columns: ["temp_min", "precipitation", "weather"],
    rows: rows.map((r) => [Number(r[at("temp_min")]), Number(r[at("precipitation")]), r[at("weather")]]),
  }) as number[];
  const y = rows.map((r) => Number(r[at("temp_max")]));
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const r2 = 1 - y.reduce((a, v, i) => a + (v - pred[i]) ** 2, 0) / y.reduce((a, v) => a + (v - mean) ** 2, 0);
  assert.ok(Math.abs(ev.metrics.r2 - r2) < 1e-12, `${ev.metrics.r2} vs ${r2}`);
  assert.ok(Math.abs(ev.metrics.mae - y.reduce((a, v, i) => a + Math.abs(v - pred[i]), 0) / y.length) < 1e-12);
});

test("bad input: a malformed or unknown run, a dataset missing a column, labels the model never saw, a bad value", async () => {
  assert.equal(err(await runTool("evaluate_model", { model_id: "not-a-run" }, ctx)).code, "INVALID_INPUT");
  const nf = err(await runTool("evaluate_model", { model_id: "20200101-000000-abcdef" }, ctx));
  assert.equal(nf.code, "NOT_FOUND");
  assert.match(nf.message, /20200101-000000-abcdef/);

  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "weather", features: ["temp_max", "wind"], algorithm: "decision_tree" }, ctx));
  await writeFile(join(tw.dir, "data", "nowind.csv"), "temp_max,weather\n10,rain\n20,sun\n");
  ok(await runTool("load_dataset", { path: "data/nowind.csv" }, ctx));
  const missing = err(await runTool("evaluate_model", { model_id: run.run_id, dataset_id: "nowind" }, ctx));
  assert.equal(missing.code, "INVALID_INPUT");
  assert.match(missing.message, /lacks column\(s\) 'wind'/);
  assert.match(missing.hint ?? "", /temp_max, weather/);

  await writeFile(join(tw.dir, "data", "hail.csv"), "temp_max,wind,weather\n10,2,rain\n20,3,hail\n");
  ok(await runTool("load_dataset", { path: "data/hail.csv" }, ctx));
  const hail = err(await runTool("evaluate_model", { model_id: run.run_id, dataset_id: "hail" }, ctx));
  assert.equal(hail.code, "DATA_ERROR");
  assert.match(hail.message, /'hail'/);
  assert.match(hail.hint ?? "", /drizzle, fog, rain, snow, sun/);

  await writeFile(join(tw.dir, "data", "textwind.csv"), "temp_max,wind,weather\n10,2,rain\n20,calm,sun\n");
  ok(await runTool("load_dataset", { path: "data/textwind.csv" }, ctx));
  const bad = err(await runTool("evaluate_model", { model_id: run.run_id, dataset_id: "textwind" }, ctx));
  assert.equal(bad.code, "INVALID_INPUT");
  assert.match(bad.message, /textwind\.csv, line 3: column 'wind'/);
});
