import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, renderResultHtml, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";

let tw: TempWorkspace;
let ctx: ToolContext;

/**
 * Wine-like measurements with the cultivar coded 0/1/2 (the case a regression was silently trained
 * on), a customer e-mail and id column, a numeric column with one stray text value, and a quality
 * rating of three fractional values.
 */
async function writeWines(rows: number): Promise<void> {
  const lines = ["id,email,alcohol,acidity,colour,cultivar,density"];
  for (let i = 0; i < rows; i++) {
    const cultivar = i % 3;
    const alcohol = (11 + cultivar + ((i * 37) % 10) / 10).toFixed(2);
    const acidity = (2 + ((i * 17) % 9) / 3 - cultivar / 2).toFixed(2);
    const density = i === 4 ? "unknown" : (0.99 + ((i * 7) % 5) / 1000).toFixed(4);
    lines.push(`w${i},taster${i}@example.com,${alcohol},${acidity},${["red", "white"][i % 2]},${cultivar},${density}`);
  }
  await writeFile(join(tw.dir, "data", "wines.csv"), `${lines.join("\n")}\n`);
}

before(async () => {
  tw = await makeTempWorkspace("dw-decisions-");
  ctx = await createToolContext({ cwd: tw.dir });
  await writeWines(90);
  ok(await runTool("load_dataset", { path: "data/wines.csv", dataset_id: "wines" }, ctx));
});
after(async () => tw.cleanup());

test("train_model says it trained a 0/1/2 class label as a regression, why, and warns with task: classification; the e-mail column's reason names the e-mail addresses", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "wines", target: "cultivar" }, ctx));
  const { task, features, gates } = run.decisions;
  assert.equal(task.value, "regression");
  assert.equal(run.task, task.value);
  assert.equal(task.rule, "the target 'cultivar' is numeric with 3 distinct whole values (0 to 2); trained as a regression");
  assert.match(task.warning, /'cultivar' holds only 3 whole values \(0, 1, 2\).*task: classification/);

  assert.equal(features.chosen_by, "default");
  assert.deepEqual(features.used, ["alcohol", "acidity", "colour"]);
  assert.deepEqual(features.used, run.features);
  const why = Object.fromEntries(features.skipped.map((s: { column: string; reason: string }) => [s.column, s.reason]));
  assert.deepEqual(Object.keys(why), ["id", "email", "cultivar", "density"]);
  assert.equal(why.cultivar, "the target");
  assert.match(why.email, /^text with 90 distinct values, more than the 30 dw one-hot encodes; it holds e-mail addresses \(personal data\)$/);
  assert.equal(why.id, "text with 90 distinct values, more than the 30 dw one-hot encodes", "an id is not personal data");
  assert.match(why.density, /line 6 holds 'unknown'/);

  assert.deepEqual(
    gates.map((g: { gate: string }) => g.gate),
    ["quality", "governance", "cost"],
  );
  assert.deepEqual(gates, run.gates, "the verdicts are the gates the run recorded");
  for (const g of gates) assert.ok(["pass", "warn", "fail"].includes(g.status) && g.summary.length > 0);

  const page = renderResultHtml("train_model", run);
  assert.match(page, /What dw decided/);
  assert.match(page, /trained as a regression/);
  assert.match(page, /pass task: classification/);
  assert.match(page, /<code>email<\/code>.*e-mail addresses \(personal data\)/s);
  assert.match(page, /<th[^>]*>governance<\/th><td[^>]*><strong[^>]*>PASS<\/strong>/);
  assert.doesNotMatch(page, /undefined|NaN|\[object Object\]/);
});

test("a task asked for, logistic_regression and features asked for are decisions the user made, and the answer says so", async () => {
  const asked = ok(await runTool("train_model", { dataset_id: "wines", target: "cultivar", task: "classification", algorithm: "decision_tree" }, ctx));
  assert.deepEqual(asked.decisions.task, { value: "classification", rule: "task 'classification' was asked for" });
  assert.deepEqual(asked.classes, [0, 1, 2]);

  const logistic = ok(
    await runTool("train_model", { dataset_id: "wines", target: "cultivar", algorithm: "logistic_regression", features: ["alcohol", "acidity"] }, ctx),
  );
  assert.deepEqual(logistic.decisions.task, { value: "classification", rule: "logistic_regression is a classifier; trained as a classification" });
  assert.equal(logistic.decisions.features.chosen_by, "asked");
  assert.deepEqual(logistic.decisions.features.used, ["alcohol", "acidity"]);
  assert.deepEqual(logistic.decisions.features.skipped, [
    { column: "id", reason: "not in --features" },
    { column: "email", reason: "not in --features" },
    { column: "colour", reason: "not in --features" },
    { column: "cultivar", reason: "the target" },
    { column: "density", reason: "not in --features" },
  ]);
});

test("a text target is a classification by the rule, without a warning", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "wines", target: "colour", algorithm: "decision_tree", features: ["alcohol", "acidity"] }, ctx));
  assert.deepEqual(run.decisions.task, { value: "classification", rule: "the target 'colour' holds text values; trained as a classification" });
});

test("without an algorithm, the task picks it: a text target trains a logistic regression, a numeric one a linear regression, and decisions.algorithm says why", async () => {
  const text = ok(await runTool("train_model", { dataset_id: "wines", target: "colour", features: ["alcohol", "acidity"] }, ctx));
  assert.equal(text.algorithm, "logistic_regression");
  assert.equal(text.task, "classification");
  assert.equal(
    text.decisions.algorithm.rule,
    "no algorithm was asked for: logistic_regression is dw's default for a classification (select_model compares the others on this data)",
  );
  assert.match(renderResultHtml("train_model", text), /<strong>logistic_regression<\/strong>: no algorithm was asked for/);
  // A task asked for on a numeric target decides it the same way.
  const asked = ok(await runTool("train_model", { dataset_id: "wines", target: "cultivar", task: "classification" }, ctx));
  assert.equal(asked.algorithm, "logistic_regression");
  assert.deepEqual(asked.classes, [0, 1, 2]);
  const numeric = ok(await runTool("train_model", { dataset_id: "wines", target: "alcohol", features: ["acidity"] }, ctx));
  assert.equal(numeric.algorithm, "linear_regression");
  assert.equal(numeric.decisions.algorithm.value, "linear_regression");
  const named = ok(await runTool("train_model", { dataset_id: "wines", target: "colour", algorithm: "decision_tree", features: ["alcohol"] }, ctx));
  assert.deepEqual(named.decisions.algorithm, { value: "decision_tree", rule: "decision_tree was asked for" });
  // The run records the algorithm it trained, so retraining and reproducing repeat it.
  const runs = ok(await runTool("list_runs", {}, ctx)).runs;
  assert.equal(runs.find((r: { run_id: string }) => r.run_id === text.run_id)?.algorithm, "logistic_regression");
});
