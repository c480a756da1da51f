import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { forgetReadDatasets } from "../../../src/data/readDataset.js";
import { ALGORITHMS, estimatorOf } from "../../../src/models/estimators.js";
import { ok } from "../../helpers/results.js";
import { trainedModelText, type DeterminismSpec } from "./trainedModelText.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace("dw-determinism-");
  // 300 rows keep every fit short; the 5-class target makes boosting fit one tree per class.
  const csv = (await readFile(join(tw.dir, "data", "seattle-weather.csv"), "utf8")).split("\n").slice(0, 301).join("\n") + "\n";
  await writeFile(join(tw.dir, "data", "small.csv"), csv);
  ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/small.csv", dataset_id: "w" }, ctx));
});
after(async () => tw.cleanup());

/** Every algorithm on a task it learns, small enough to be quick; random ones with a seed that is not the default. */
function specs(): DeterminismSpec[] {
  const base = { dataset_id: "w", seed: 11, test_size: 0.25 };
  const regression = { ...base, target: "temp_max", features: ["precipitation", "temp_min", "wind", "weather", "date"], task: "regression" as const };
  const classification = { ...base, target: "weather", features: ["precipitation", "temp_min", "temp_max", "wind"], task: "classification" as const };
  const out: DeterminismSpec[] = [];
  for (const algorithm of ALGORITHMS) {
    const estimator = estimatorOf(algorithm);
    const hyperparameters = estimator === "random_forest" ? { n_estimators: 10 } : estimator === "gradient_boosting" ? { max_iter: 15 } : {};
    if (estimator !== "logistic_regression") out.push({ ...regression, algorithm, hyperparameters });
    if (estimator !== "linear_regression") out.push({ ...classification, algorithm, hyperparameters });
  }
  // k-fold fits the model once per fold and then on every row: the folds are drawn from the seed too.
  out.push({ ...classification, algorithm: "random_forest", hyperparameters: { n_estimators: 6 }, cv_folds: 3 });
  // Gradient boosting's early stopping draws a validation split from the seed.
  out.push({ ...regression, algorithm: "gradient_boosting", hyperparameters: { max_iter: 40, early_stopping: true, n_iter_no_change: 3 } });
  return out;
}

const label = (s: DeterminismSpec) => `${s.algorithm} ${s.task}${s.cv_folds ? ` ${s.cv_folds}-fold` : ""}`;

test("every algorithm trains to the same model.json bytes twice in one process and once in another process", async () => {
  const all = specs();
  assert.ok(new Set(all.map((s) => s.algorithm)).size === ALGORITHMS.length);
  const first = [];
  for (const spec of all) first.push(await trainedModelText(ctx.workspace, spec));
  // The second time reads the data again from disk and reuses the warm fit worker.
  forgetReadDatasets();
  for (const [i, spec] of all.entries()) {
    const again = await trainedModelText(ctx.workspace, spec);
    assert.equal(again.text, first[i].text, `${label(spec)}: a second training in the same process differs`);
    assert.deepEqual(again.metrics, first[i].metrics, label(spec));
  }
  const child = join(fileURLToPath(new URL(".", import.meta.url)), "trainInChild.js");
  const out = execFileSync(process.execPath, [child, tw.dir, JSON.stringify(all)], { encoding: "utf8", maxBuffer: 1 << 28 });
  const lines = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { text: string; metrics: Record<string, number> });
  assert.equal(lines.length, all.length);
  for (const [i, spec] of all.entries()) {
    assert.equal(lines[i].text, first[i].text, `${label(spec)}: a training in another process differs`);
    assert.deepEqual(lines[i].metrics, first[i].metrics, label(spec));
  }
  // Fitted, not trivially empty: the texts hold the fixed run and differ between algorithms.
  assert.equal(new Set(first.map((f) => f.text)).size, all.length);
  for (const f of first) assert.match(f.text, /"run_id": "20260101-000000-000000"/);
});
