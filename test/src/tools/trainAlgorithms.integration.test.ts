import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { loadModel, scoreModel } from "../../../src/models/scoreModel.js";
import { ok } from "../../helpers/results.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace("dw-algos-");
  ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
});
after(async () => tw.cleanup());

const showModel = (runId: string) => execFileSync("git", ["show", `refs/dw/runs/${runId}:model.json`], { cwd: tw.dir, encoding: "utf8", maxBuffer: 1 << 30 });

// That model.json scores the held-out rows exactly as the trained model did is checked against
// counts and scikit-learn in test/src/models/referenceValues.integration.test.ts.
test("every algorithm trains on real data, and its model.json scores the same rows alike whatever the order of their columns", async () => {
  const rows = [
    ["2015-06-01", 0.0, 21.1, 12.2, 3.1],
    ["2012-12-24", 12.5, 7.8, 3.3, 6.0],
  ];
  const columns = ["date", "precipitation", "temp_max", "temp_min", "wind"];
  for (const algorithm of ["logistic_regression", "decision_tree", "random_forest", "gradient_boosting"]) {
    const hp = algorithm === "random_forest" ? { n_estimators: 20 } : algorithm === "gradient_boosting" ? { max_iter: 30 } : {};
    const run = ok(
      await runTool(
        "train_model",
        { dataset_id: "weather", target: "weather", features: ["date", "precipitation", "temp_max", "temp_min", "wind"], algorithm, hyperparameters: hp },
        ctx,
      ),
    );
    assert.equal(run.task, "classification");
    assert.deepEqual(run.classes, ["drizzle", "fog", "rain", "snow", "sun"]);
    assert.ok(run.metrics.accuracy > 0.5, `${algorithm} accuracy ${run.metrics.accuracy}`);
    assert.ok(run.encoded_features.includes("date.month"));
    assert.equal(run.confusion_matrix.length, 5);
    const model = loadModel(showModel(run.run_id), "model.json");
    const a = scoreModel(model, { columns, rows });
    const b = scoreModel(loadModel(JSON.stringify(JSON.parse(showModel(run.run_id))), "copy"), {
      columns: [...columns].reverse(),
      rows: rows.map((r) => [...r].reverse()),
    });
    assert.deepEqual(a, b);
    for (const label of a) assert.ok((run.classes as unknown[]).includes(label));
  }
  for (const algorithm of ["decision_tree", "random_forest", "gradient_boosting", "xgboost"]) {
    const run = ok(
      await runTool(
        "train_model",
        {
          dataset_id: "weather",
          target: "temp_max",
          features: ["temp_min", "precipitation", "wind", "weather", "date"],
          algorithm,
          hyperparameters: algorithm === "random_forest" ? { n_estimators: 20 } : {},
        },
        ctx,
      ),
    );
    assert.equal(run.task, "regression");
    assert.ok(run.metrics.r2 > 0.75, `${algorithm} r2 ${run.metrics.r2}`);
    assert.ok(run.encoded_features.includes("weather=rain"));
    if (algorithm === "xgboost") assert.match(run.note, /dw's histogram gradient boosting/);
    const preds = scoreModel(loadModel(showModel(run.run_id), "m"), {
      columns: ["temp_min", "precipitation", "wind", "weather", "date"],
      rows: [
        [10, 0, 3, "sun", "2015-07-04"],
        [10, 0, 3, "never-seen", null],
      ],
    });
    assert.equal(preds.length, 2);
    for (const p of preds) assert.ok(Number.isFinite(p), `prediction ${p}`);
  }
});

test("k-fold evaluation, and the same seed gives the same model", async () => {
  const input = {
    dataset_id: "weather",
    target: "temp_max",
    features: ["temp_min", "wind"],
    algorithm: "random_forest",
    hyperparameters: { n_estimators: 10 },
    cv_folds: 3,
    seed: 7,
  };
  const a = ok(await runTool("train_model", input, ctx));
  const b = ok(await runTool("train_model", input, ctx));
  assert.equal(a.evaluation, "kfold");
  assert.equal(a.rows.train, 1461);
  assert.deepEqual(a.metrics, b.metrics);
  assert.deepEqual(JSON.parse(showModel(a.run_id)).params, JSON.parse(showModel(b.run_id)).params);
});

test("a classifier deployed over HTTP answers with class labels, and missing inputs are imputed", async () => {
  const csv = ["id,size,color,label"];
  for (let i = 0; i < 200; i++)
    csv.push(`${i},${i % 10 === 3 ? "" : (i * 37) % 100},${["red", "green", "blue"][i % 3]},${(i * 37) % 100 > 50 ? "big" : "small"}`);
  await writeFile(join(tw.dir, "data", "sizes.csv"), csv.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/sizes.csv" }, ctx));
  const run = ok(await runTool("train_model", { dataset_id: "sizes", target: "label", features: ["size", "color"], algorithm: "decision_tree" }, ctx));
  assert.deepEqual(run.classes, ["big", "small"]);
  const dep = ok(await runTool("productionize", { run_id: run.run_id, model_name: "sizes" }, ctx));
  const res = await fetch(dep.endpoint_url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      dataframe_records: [
        { size: 90, color: "red" },
        { size: 5, color: "purple" },
        { size: null, color: "blue" },
      ],
    }),
  });
  assert.equal(res.status, 200);
  const { predictions } = (await res.json()) as { predictions: string[] };
  assert.deepEqual(predictions.slice(0, 2), ["big", "small"]);
  assert.ok(["big", "small"].includes(predictions[2]));
});

test("runs trained with --experiment are attached to it and compare side by side", async () => {
  const e = await runTool("train_model", { dataset_id: "weather", target: "temp_max", experiment: "nope" }, ctx);
  assert.equal(e.ok, false);
  ok(await runTool("create_experiment", { name: "temps" }, ctx));
  const a = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"], experiment: "temps" }, ctx));
  const b = ok(
    await runTool(
      "train_model",
      {
        dataset_id: "weather",
        target: "temp_max",
        features: ["temp_min", "wind"],
        algorithm: "gradient_boosting",
        hyperparameters: { max_iter: 20 },
        experiment: "temps",
      },
      ctx,
    ),
  );
  assert.equal(a.experiment, "temps");
  const cmp = ok(await runTool("compare_experiments", { experiment: "temps" }, ctx));
  assert.deepEqual(new Set(cmp.runs.map((r: { run_id: string }) => r.run_id)), new Set([a.run_id, b.run_id]));
  assert.ok(cmp.differing_parameters.some((d: { parameter: string }) => d.parameter === "algorithm"));
});

test("train_model preprocesses with a named feature pipeline and records which version", async () => {
  ok(
    await runTool(
      "create_feature_pipeline",
      {
        name: "weather-basic",
        dataset_id: "weather",
        features: ["precipitation", "temp_min", "wind", "weather"],
        steps: [
          { column: "precipitation", transform: "log1p" },
          { column: "precipitation", transform: "standardize" },
          { column: "weather", transform: "impute_mode" },
          { column: "weather", transform: "ordinal" },
          { column: "wind", transform: "drop" },
        ],
      },
      ctx,
    ),
  );
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", algorithm: "gradient_boosting", hyperparameters: { max_iter: 30 }, pipeline: "weather-basic" },
      ctx,
    ),
  );
  assert.deepEqual(run.features, ["precipitation", "temp_min", "wind", "weather"]);
  assert.deepEqual(run.encoded_features, ["precipitation", "temp_min", "weather#ordinal"]);
  const model = JSON.parse(showModel(run.run_id));
  assert.equal(model.preprocessing.steps[0].log1p, true);
  assert.ok(model.preprocessing.steps[0].scale);
  assert.deepEqual(model.preprocessing.steps[2].categories, ["drizzle", "fog", "rain", "snow", "sun"]);
  assert.deepEqual(
    model.signature.inputs.map((i: { name: string }) => i.name),
    ["precipitation", "temp_min", "weather"],
  );
  const params = JSON.parse(execFileSync("git", ["show", `refs/dw/runs/${run.run_id}:params.json`], { cwd: tw.dir, encoding: "utf8" }));
  assert.equal(params.pipeline.name, "weather-basic");
  assert.equal(params.pipeline.version, 1);
  const preds = scoreModel(loadModel(showModel(run.run_id), "m"), {
    columns: ["precipitation", "temp_min", "weather"],
    rows: [
      [0, 10, "sun"],
      [5, 10, null],
      [0, 10, "hail"],
    ],
  });
  assert.equal(preds.length, 3);
  assert.throws(
    () => scoreModel(loadModel(showModel(run.run_id), "m"), { columns: ["precipitation", "temp_min", "weather"], rows: [[-2, 10, "sun"]] }),
    /log1p needs values above -1/,
  );

  // The same pipeline on data whose column changed type is refused, naming the column.
  await writeFile(join(tw.dir, "data", "weather2.csv"), "precipitation,temp_min,wind,weather,temp_max\n" + "lots,1,2,rain,5\nnone,2,3,sun,6\n".repeat(10));
  const bad = await runTool("load_dataset", { path: "data/weather2.csv" }, ctx);
  assert.ok(bad.ok);
  const e = await runTool("train_model", { dataset_id: "weather2", target: "temp_max", algorithm: "decision_tree", pipeline: "weather-basic" }, ctx);
  assert.equal(e.ok, false);
  if (!e.ok) assert.match(e.error.message, /defined with 'precipitation' as number; in this dataset it holds string values/);
});

test("a time budget stops a long fit with a usable model; an interrupt stops it with nothing written", async () => {
  const progress: { message: string; done: number; total?: number }[] = [];
  const watched = await createToolContext({ cwd: tw.dir });
  watched.progress = (p) => progress.push(p);
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "weather", algorithm: "random_forest", hyperparameters: { n_estimators: 2000 }, time_budget_seconds: 0.8 },
      watched,
    ),
  );
  assert.equal(run.stopped_early, true);
  assert.ok(progress.length >= 1, "progress is reported during a long fit");
  assert.match(progress[0].message, /^random_forest: \d+ of 2000 trees built$/);
  assert.equal(progress[0].total, 2000);
  assert.ok(run.model.trees >= 1 && run.model.trees < 2000, `trees ${run.model.trees}`);
  assert.match(run.note, /time budget of 0.8 s ran out/);
  assert.ok(run.metrics.accuracy > 0.5);

  const refsBefore = execFileSync("git", ["for-each-ref", "refs/dw/runs"], { cwd: tw.dir, encoding: "utf8" });
  const controller = new AbortController();
  const interrupted = await createToolContext({ cwd: tw.dir, signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  const r = await runTool(
    "train_model",
    { dataset_id: "weather", target: "weather", algorithm: "gradient_boosting", hyperparameters: { max_iter: 100000, early_stopping: false } },
    interrupted,
  );
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, "INTERRUPTED");
  assert.equal(execFileSync("git", ["for-each-ref", "refs/dw/runs"], { cwd: tw.dir, encoding: "utf8" }), refsBefore);
});

test("data that cannot be learned gets a clear error naming why, and writes nothing", async () => {
  const refsBefore = execFileSync("git", ["for-each-ref", "refs/dw/runs"], { cwd: tw.dir, encoding: "utf8" });
  const rows = ["a,b,c,d,e,f,g,h,i,j,k,l,nulls,const,one,y"];
  for (let i = 0; i < 12; i++)
    rows.push(`${i},${i * 2},${i % 3},${i % 5},${i * i},${i % 7},${i + 1},${i % 2},${i * 3},${i % 4},${i - 5},${i % 6},,7,same,${i * 1.5}`);
  await writeFile(join(tw.dir, "data", "wide.csv"), rows.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/wide.csv" }, ctx));
  const cases: [Record<string, unknown>, RegExp][] = [
    // Several of these columns are exact linear functions of y, which the quality gate blocks as
    // leakage; the override lets the call reach the check this case is about.
    [
      {
        target: "y",
        features: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"],
        override_reason: "synthetic columns, linear in y by construction",
      },
      /12 features after encoding but only 10 training rows: more features than rows/,
    ],
    // The quality gate stops an all-null feature first; past an override, training names it too.
    [{ target: "y", features: ["nulls"] }, /blocked by the quality gate: \[quality\/null_rate\] The column 'nulls' is 100% missing/],
    [
      { target: "y", features: ["nulls"], override_reason: "checking the trainer's own message" },
      /Feature 'nulls' has no values in the training rows \(all null\)/,
    ],
    [{ target: "const" }, /Target 'const' is constant \(7\)/],
    [{ target: "one", algorithm: "decision_tree" }, /Target 'one' has one class only \(same\)/],
    [{ target: "y", algorithm: "gbm" }, /expected one of "linear_regression"\|"logistic_regression"\|"decision_tree"/],
  ];
  for (const [input, message] of cases) {
    const r = await runTool("train_model", { dataset_id: "wide", ...input }, ctx);
    assert.equal(r.ok, false, JSON.stringify(input));
    if (!r.ok) assert.match(r.error.message, message);
  }
  assert.equal(execFileSync("git", ["for-each-ref", "refs/dw/runs"], { cwd: tw.dir, encoding: "utf8" }), refsBefore);
});

test("a numeric target with two values is a classification in every tool; other numbers are a regression", async () => {
  // rainy is 0/1; stars is a whole number from 1 to 5 (1 in 2 rows of 400), a regression unless asked.
  const lines = ["x,z,rainy,stars"];
  for (let i = 0; i < 400; i++) {
    const x = (i % 37) / 37;
    const z = ((i * 7) % 23) / 23;
    lines.push(`${x},${z},${x + 0.3 * z > 0.6 ? 1 : 0},${i < 2 ? 1 : 2 + Math.min(3, Math.floor(4 * x))}`);
  }
  await writeFile(join(tw.dir, "data", "flags.csv"), lines.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/flags.csv", dataset_id: "flags" }, ctx));
  const train = ok(await runTool("train_model", { dataset_id: "flags", target: "rainy", features: ["x", "z"], algorithm: "decision_tree" }, ctx));
  assert.equal(train.task, "classification");
  assert.deepEqual(train.classes, [0, 1]);
  assert.ok("accuracy" in train.metrics);
  assert.equal(ok(await runTool("select_model", { dataset_id: "flags", target: "rainy", features: ["x", "z"] }, ctx)).task, "classification");
  assert.equal(ok(await runTool("suggest_features", { dataset_id: "flags", target: "rainy" }, ctx)).task, "classification");
  assert.equal(ok(await runTool("suggest_features", { dataset_id: "flags", target: "stars" }, ctx)).task, "regression");
  // As a regression, the rare 1-star rows are no class imbalance; as classes, they block training.
  const stars = ok(await runTool("train_model", { dataset_id: "flags", target: "stars", features: ["x", "z"] }, ctx));
  assert.equal(stars.task, "regression");
  const quality = JSON.parse(execFileSync("git", ["show", `refs/dw/runs/${stars.run_id}:gates/quality.json`], { cwd: tw.dir, encoding: "utf8" }));
  const checks = (quality.findings as { check: string }[]).map((f) => f.check);
  assert.ok(checks.includes("null_rate") && !checks.includes("class_imbalance"), JSON.stringify(checks));
  const blocked = await runTool(
    "train_model",
    { dataset_id: "flags", target: "stars", features: ["x", "z"], task: "classification", algorithm: "random_forest", hyperparameters: { n_estimators: 5 } },
    ctx,
  );
  assert.ok(!blocked.ok && blocked.error.code === "GATE_FAILED" && /class_imbalance/.test(blocked.error.message), JSON.stringify(blocked));
});
