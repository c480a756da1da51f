import { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, repoRoot, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { loadModel, scoreModel } from "../../../src/models/scoreModel.js";
import { ok, err } from "../../helpers/results.js";
import { testSequence } from "../../helpers/testSequence.js";

// A suggested interaction, end to end: suggest_features proposes it on real data (vega's cars,
// whose Horsepower has missing values), create_feature_pipeline stores it, train_model fits it,
// and the served model.json scores new rows as the fitted model does.
let tw: TempWorkspace;
let ctx: ToolContext;
type Car = Record<string, string | number | null>;
let cars: Car[];

before(async () => {
  tw = await makeTempWorkspace("dw-interaction-");
  await copyFile(join(repoRoot, "node_modules", "vega-datasets", "data", "cars.json"), join(tw.dir, "data", "cars.json"));
  cars = JSON.parse(await readFile(join(tw.dir, "data", "cars.json"), "utf8"));
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/cars.json", dataset_id: "cars" }, ctx));
});
after(async () => tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8", maxBuffer: 1 << 28 });
const modelText = (runId: string) => git("show", `refs/dw/runs/${runId}:model.json`);

/** The first interaction suggest_features proposes for miles per gallon. */
async function suggestion(): Promise<{ column: string; transform: string; inputs: [string, string] }> {
  const s = ok(await runTool("suggest_features", { dataset_id: "cars", target: "Miles_per_Gallon" }, ctx));
  const found = s.transforms.find((t: { transform: string }) => t.transform === "interaction");
  assert.ok(found, `no interaction among ${JSON.stringify(s.transforms)}`);
  return found;
}

const step = testSequence("a suggested interaction, in order: made a pipeline and served, standardised for logistic regression, absent without the pipeline");

step("a suggested interaction, passed to create_feature_pipeline as it is, is trained, evaluated and served as the product", async () => {
  const { column, transform, inputs } = await suggestion();
  const [first, second] = inputs;
  // The second input is dropped: it is no feature by itself, but the interaction reads it.
  const p = ok(
    await runTool(
      "create_feature_pipeline",
      {
        name: "cars-product",
        dataset_id: "cars",
        features: [first, second, "Weight_in_lbs"],
        steps: [
          { column, transform, inputs },
          { column: second, transform: "drop" },
        ],
      },
      ctx,
    ),
  );
  assert.deepEqual(p.steps[0], { column, transform: "interaction", inputs });
  assert.deepEqual(JSON.parse(git("show", "refs/dw/pipelines/cars-product:pipeline.json")).steps[0].inputs, inputs);

  const run = ok(
    await runTool("train_model", { dataset_id: "cars", target: "Miles_per_Gallon", algorithm: "linear_regression", pipeline: "cars-product" }, ctx),
  );
  assert.deepEqual(run.encoded_features, [first, "Weight_in_lbs", column]);
  const json = JSON.parse(modelText(run.run_id));
  const [firstStep, weightStep, inter] = json.preprocessing.steps;
  assert.equal(inter.kind, "interaction");
  assert.deepEqual(inter.inputs, inputs);
  assert.equal(inter.scale, undefined, "linear regression does not scale");
  // Both medians are of the training rows: the first input's own step imputes with the same number.
  assert.equal(inter.impute[0], firstStep.impute);
  assert.deepEqual(
    json.signature.inputs,
    [first, "Weight_in_lbs", second].map((name) => ({ name, type: "double" })),
  );

  // Evaluation applies the pipeline as training did: the held-out metrics come out the same.
  const ev = ok(await runTool("evaluate_model", { model_id: run.run_id }, ctx));
  assert.deepEqual(ev.metrics, run.metrics);
  // Permuting the dropped input moves the predictions: the interaction reads it.
  const ex = ok(await runTool("explain_model", { model_id: run.run_id, n_repeats: 2 }, ctx));
  assert.deepEqual(ex.permutation_importance.map((f: { feature: string }) => f.feature).sort(), [first, second, "Weight_in_lbs"].sort());
  assert.ok(ex.permutation_importance.find((f: { feature: string }) => f.feature === second).mean !== 0);

  // New rows, some missing an input: the fitted linear model by hand, from model.json's numbers.
  const rows = [
    cars[0],
    cars.find((c) => c[first] === null || c[second] === null)!,
    { ...cars[5], [first]: null, [second]: null },
    { [first]: 200, [second]: 3, Weight_in_lbs: 2500 },
  ];
  assert.ok(rows[1], `cars has no row missing ${first} or ${second}`);
  const or = (v: unknown, fill: number) => (v === null || v === undefined ? fill : (v as number));
  const byHand = rows.map((r) => {
    const x = [or(r[first], firstStep.impute), or(r.Weight_in_lbs, weightStep.impute), or(r[first], inter.impute[0]) * or(r[second], inter.impute[1])];
    return json.params.intercept + x.reduce((s: number, v: number, j: number) => s + v * json.params.coefficients[j], 0);
  });
  const names = [first, second, "Weight_in_lbs"];
  const scored = scoreModel(loadModel(modelText(run.run_id), "model.json"), {
    columns: names,
    rows: rows.map((r) => names.map((n) => r[n] ?? null)),
  }) as number[];
  scored.forEach((y, i) => assert.ok(Math.abs(y - byHand[i]) <= 1e-9 * Math.max(1, Math.abs(byHand[i])), `row ${i}: scored ${y}, by hand ${byHand[i]}`));
  assert.notEqual(byHand[0], byHand[2], "imputation changed the prediction");

  // Served over HTTP (MLflow scoring protocol): the same predictions, and the dropped input is required.
  const dep = ok(await runTool("productionize", { run_id: run.run_id, model_name: "cars-mpg" }, ctx));
  // The curl line the user is shown carries every input the model reads, the dropped one too.
  assert.match(dep.curl, new RegExp(second));
  assert.equal(JSON.parse(execFileSync("bash", ["-c", dep.curl], { encoding: "utf8" })).predictions.length, 1);
  const post = (body: unknown) => fetch(dep.endpoint_url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const res = await post({ dataframe_records: rows.map((r) => Object.fromEntries(names.map((n) => [n, r[n] ?? null]))) });
  assert.equal(res.status, 200);
  assert.deepEqual(((await res.json()) as { predictions: number[] }).predictions, scored);
  const missing = await post({ dataframe_split: { columns: [first, "Weight_in_lbs"], data: [[100, 3000]] } });
  assert.equal(missing.status, 400);
  assert.match(((await missing.json()) as { message: string }).message, new RegExp(`Missing column\\(s\\) '${second}'`));
  const text = await post({ dataframe_split: { columns: names, data: [[100, "many", 3000]] } });
  assert.equal(text.status, 400);
  assert.match(((await text.json()) as { message: string }).message, new RegExp(`Row 0, column '${second}': expected a finite number`));
});

step("for logistic regression the interaction is standardised, and evaluation reproduces training", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "cars", target: "Origin", algorithm: "logistic_regression", pipeline: "cars-product" }, ctx));
  const inter = JSON.parse(modelText(run.run_id)).preprocessing.steps.find((s: { kind: string }) => s.kind === "interaction");
  assert.ok(inter.scale && inter.scale.std > 0, JSON.stringify(inter));
  assert.ok(run.encoded_features.includes(inter.column));
  const ev = ok(await runTool("evaluate_model", { model_id: run.run_id }, ctx));
  assert.deepEqual(ev.metrics, run.metrics);
});

step("train_model without a pipeline adds no interaction; with features that leave out an input, it refuses and writes nothing", async () => {
  const { column, inputs } = await suggestion();
  const plain = ok(await runTool("train_model", { dataset_id: "cars", target: "Miles_per_Gallon", features: [...inputs, "Weight_in_lbs"] }, ctx));
  assert.deepEqual(plain.encoded_features, [...inputs, "Weight_in_lbs"]);
  assert.ok(!JSON.parse(modelText(plain.run_id)).preprocessing.steps.some((s: { kind: string }) => s.kind === "interaction"));

  const before = git("for-each-ref", "refs/dw");
  const e = err(
    await runTool("train_model", { dataset_id: "cars", target: "Miles_per_Gallon", features: [inputs[0], "Weight_in_lbs"], pipeline: "cars-product" }, ctx),
  );
  assert.equal(e.code, "INVALID_INPUT");
  assert.equal(e.details?.field, "features");
  assert.match(e.message, new RegExp(`'${inputs[1]}' is not in features`));
  assert.match(e.message, new RegExp(column.replace(/[*]/g, "\\*")));
  assert.equal(git("for-each-ref", "refs/dw"), before);
});
