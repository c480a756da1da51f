import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext, type ToolResult } from "../../../src/index.js";
import { createRandom } from "../../../src/models/random.js";
import { ok } from "../../helpers/results.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace("dw-select-test-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  // y = sin(3x) + noise, x uniform on [-2, 2]: about two periods, which no line follows.
  const rand = createRandom(7);
  const lines = ["x,z,y"];
  for (let i = 0; i < 1500; i++) {
    const x = -2 + 4 * rand();
    const z = rand();
    lines.push(`${x},${z},${Math.sin(3 * x) + 0.1 * (rand() + rand() + rand() - 1.5)}`);
  }
  await writeFile(join(tw.dir, "data", "sine.csv"), lines.join("\n") + "\n");
  ok(await runTool("load_dataset", { path: "data/sine.csv", dataset_id: "sine" }, ctx));
});
after(async () => tw.cleanup());

function err(r: ToolResult): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
  if (r.ok) assert.fail(`expected an error, got ${JSON.stringify(r.output).slice(0, 200)}`);
  return r.error;
}
const refs = () => execFileSync("git", ["for-each-ref", "--format=%(refname) %(objectname)"], { cwd: tw.dir, encoding: "utf8" });

test("select_model recommends classifiers for weather, with characteristics measured on the data", async () => {
  const s = ok(await runTool("select_model", { dataset_id: "weather", target: "weather" }, ctx));
  assert.equal(s.task, "classification");
  const algos = s.recommendations.map((r: any) => r.algorithm);
  assert.deepEqual([...algos].sort(), ["decision_tree", "gradient_boosting", "logistic_regression", "random_forest"]);
  assert.deepEqual(
    s.recommendations.map((r: any) => r.rank),
    [1, 2, 3, 4],
  );
  for (const r of s.recommendations) assert.ok(r.rationale.length > 40, r.algorithm);
  const ch = s.characteristics;
  assert.equal(ch.rows, 1461);
  assert.equal(ch.classes, 5);
  // seattle-weather: 'snow' is the rarest class (26 of 1461 rows), 'rain' and 'sun' the commonest (641 each).
  assert.equal(ch.minority_class, "snow");
  assert.ok(Math.abs(ch.minority_share - 26 / 1461) < 1e-12);
  assert.ok(Math.abs(ch.majority_share - 641 / 1461) < 1e-12);
  assert.ok(
    s.notes.some((n: string) => /imbalanced: 'snow' is 1\.8%/.test(n)),
    s.notes.join("\n"),
  );
  assert.equal(ch.missing_share, 0);
  assert.equal(ch.nonlinearity.metric, "accuracy");
  assert.equal(ch.nonlinearity.rows, 1461);
  assert.ok(ch.nonlinearity.linear > 0.5 && ch.nonlinearity.linear <= 1);
  assert.ok(Math.abs(ch.nonlinearity.gain - (ch.nonlinearity.shallow_tree - ch.nonlinearity.linear)) < 1e-12);
  assert.equal(s.bake_off, undefined);
  assert.ok(s.recommendations.every((r: any) => r.cv === undefined));
});

test("select_model recommends regressors for temp_max, and its hyperparameters train", async () => {
  const s = ok(await runTool("select_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "precipitation", "wind", "date"] }, ctx));
  assert.equal(s.task, "regression");
  assert.deepEqual(s.recommendations.map((r: any) => r.algorithm).sort(), ["decision_tree", "gradient_boosting", "linear_regression", "random_forest"]);
  assert.equal(s.characteristics.column_types.date, 1);
  assert.equal(s.characteristics.encoded_features, 8); // 3 numbers + 5 date parts
  assert.equal(s.characteristics.nonlinearity.metric, "r2");
  assert.equal(typeof s.characteristics.target_skewness, "number");
  const top = s.recommendations[0];
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "temp_max", features: s.features, algorithm: top.algorithm, hyperparameters: top.hyperparameters },
      ctx,
    ),
  );
  assert.ok(run.metrics.r2 > 0.7);
});

test("the quick bake-off ranks by real CV scores: ensembles beat a line on y = sin(3x) + noise", async () => {
  const s = ok(await runTool("select_model", { dataset_id: "sine", target: "y", quick: true, folds: 3, seed: 1 }, ctx));
  const ch = s.characteristics;
  assert.equal(ch.nonlinearity.nonlinear, true);
  assert.ok(ch.nonlinearity.linear < 0.3, `linear r2 ${ch.nonlinearity.linear}`);
  assert.deepEqual(s.bake_off.completed.sort(), ["decision_tree", "gradient_boosting", "linear_regression", "random_forest"]);
  assert.deepEqual(s.bake_off.skipped, []);
  assert.equal(s.bake_off.rows, 1500);
  const by = Object.fromEntries(s.recommendations.map((r: any) => [r.algorithm, r]));
  for (const r of s.recommendations) {
    assert.equal(r.cv.fold_scores.length, 3);
    const mean = r.cv.fold_scores.reduce((a: number, b: number) => a + b, 0) / 3;
    assert.ok(Math.abs(r.cv.mean - mean) < 1e-12);
    assert.ok(r.cv.std >= 0 && r.cv.fit_s >= 0);
  }
  const means = s.recommendations.map((r: any) => r.cv.mean);
  assert.deepEqual(
    means,
    [...means].sort((a: number, b: number) => b - a),
    "ranked by mean CV score",
  );
  assert.ok(by.gradient_boosting.cv.mean > 0.9, `gb r2 ${by.gradient_boosting.cv.mean}`);
  assert.ok(Math.max(by.gradient_boosting.cv.mean, by.random_forest.cv.mean) > by.linear_regression.cv.mean + 0.5);
  assert.equal(s.recommendations.at(-1).algorithm, "linear_regression");
  assert.equal(by.random_forest.cv.hyperparameters.n_estimators, 50);
  assert.equal(by.gradient_boosting.cv.hyperparameters.max_iter, 100);
});

test("a spent time budget stops the bake-off and says so", async () => {
  const s = ok(await runTool("select_model", { dataset_id: "sine", target: "y", quick: true, time_budget_seconds: 1e-6 }, ctx));
  assert.equal(s.bake_off.completed.length, 0);
  assert.equal(s.bake_off.skipped.length, 4);
  assert.ok(s.notes.some((n: string) => /time budget .* ran out/.test(n)));
  assert.ok(s.recommendations.every((r: any) => r.cv === undefined));
});

test("select_model reports each cross-validated fold as progress, and an interrupt stops it with INTERRUPTED, as train_model does", async () => {
  const progress: { message: string; done: number; total?: number }[] = [];
  const watched = await createToolContext({ cwd: tw.dir });
  watched.progress = (p) => progress.push(p);
  const s = ok(await runTool("select_model", { dataset_id: "sine", target: "y", quick: true, folds: 3, seed: 1 }, watched));
  const folds = progress.filter((p) => /: fold \d of 3 cross-validated$/.test(p.message));
  // The probe's three models and the bake-off's four candidates, three folds each, in the order they ran.
  assert.equal(folds.length, (3 + 4) * 3);
  assert.deepEqual(
    folds.slice(0, 3).map((p) => [p.message, p.done, p.total]),
    [1, 2, 3].map((f) => [`probe linear_regression: fold ${f} of 3 cross-validated`, f, 3]),
  );
  assert.equal(folds[3].message, "probe decision_tree depth 4: fold 1 of 3 cross-validated");
  assert.equal(folds[6].message, "probe decision_tree depth 8: fold 1 of 3 cross-validated");
  assert.deepEqual(
    folds
      .slice(9)
      .filter((p) => p.done === 1)
      .map((p) => p.message),
    s.bake_off.completed.map((a: string) => `bake-off ${a}: fold 1 of 3 cross-validated`),
  );

  // Interrupted as soon as the first fold is reported: the next fold is not started, nothing is returned.
  const before = refs();
  const controller = new AbortController();
  const interrupted = await createToolContext({ cwd: tw.dir, signal: controller.signal });
  const seen: string[] = [];
  interrupted.progress = (p) => {
    seen.push(p.message);
    controller.abort();
  };
  const r = await runTool("select_model", { dataset_id: "sine", target: "y", quick: true, folds: 3, seed: 1 }, interrupted);
  const e = err(r);
  assert.equal(e.code, "INTERRUPTED");
  assert.deepEqual(seen, ["probe linear_regression: fold 1 of 3 cross-validated"]);

  assert.equal(refs(), before);
});

test("select_model bad input: unknown dataset, column, target as feature, constant target; nothing written", async () => {
  const before = refs();
  assert.equal(err(await runTool("select_model", { dataset_id: "nope", target: "y" }, ctx)).code, "NOT_FOUND");
  const e = err(await runTool("select_model", { dataset_id: "weather", target: "tempmax" }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /'tempmax' \(target\)/);
  assert.match(e.hint ?? "", /temp_max/);
  assert.match(
    err(await runTool("select_model", { dataset_id: "weather", target: "temp_max", features: ["temp_max"] }, ctx)).message,
    /also listed as a feature/,
  );
  assert.match(err(await runTool("select_model", { dataset_id: "weather", target: "temp_max", features: ["windy"] }, ctx)).message, /'windy' \(features\)/);
  assert.equal(err(await runTool("select_model", { dataset_id: "weather", target: "weather", task: "regression" }, ctx)).code, "DATA_ERROR");
  assert.equal(err(await runTool("select_model", { dataset_id: "weather", target: "temp_max", folds: 1 }, ctx)).code, "INVALID_INPUT");
  assert.equal(err(await runTool("select_model", { dataset_id: "weather", target: "temp_max", quick: "yes" }, ctx)).code, "INVALID_INPUT");
  await writeFile(join(tw.dir, "data", "const.csv"), "a,b\n1,5\n2,5\n3,5\n4,5\n5,5\n6,5\n7,5\n8,5\n9,5\n10,5\n11,5\n");
  ok(await runTool("load_dataset", { path: "data/const.csv", dataset_id: "const" }, ctx));
  const c = err(await runTool("select_model", { dataset_id: "const", target: "b" }, ctx));
  assert.equal(c.code, "DATA_ERROR");
  assert.match(c.message, /constant/);
  assert.equal(refs(), before);
});
