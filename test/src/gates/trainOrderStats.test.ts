import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import { ok } from "../../helpers/results.js";
import { readDataset } from "../../../src/data/readDataset.js";
import { createRandom } from "../../../src/models/random.js";
import { holdoutSplit, shuffledRows } from "../../../src/models/split.js";
import { featureStats } from "../../../src/models/featureStats.js";
import { fitPipeline } from "../../../src/models/preprocessing.js";
import { loadModel } from "../../../src/models/scoreModel.js";
import { buildDriftReference } from "../../../src/monitoring/reference/buildDriftReference.js";
import { DRIFT_REFERENCE_PATH, DriftReference } from "../../../src/monitoring/reference/DriftReference.js";
import { TRAINING_SNAPSHOT_PATH, buildTrainingSnapshot } from "../../../src/quality/trainingSnapshot.js";
import { runRef } from "../../../src/runs/runId.js";
import { documentText } from "../../../src/workspace/documentText.js";

let tw: TempWorkspace;
let ctx: ToolContext;
// 60,000 rows × 9 number columns: past the values from which train_model computes its columns'
// statistics on a worker thread while it runs the gates and the fit (startColumnOrderStats).
const ROWS = 60_000;
const FEATURES = ["f0", "f1", "f2", "f3", "f4", "f5", "f6", "zeros", "kind"];

before(async () => {
  tw = await makeTempWorkspace("dw-trainorderstats-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  const rand = createRandom(21);
  const lines = [[...FEATURES, "y"].join(",")];
  for (let i = 0; i < ROWS; i++) {
    const f = Array.from({ length: 7 }, (_, k) => (rand() < 0.03 * k ? "" : String(Math.round((rand() - 0.5) * 10 ** (k + 1)) / 100)));
    const zeros = ["0", "-0", "1", "", "-1"][Math.floor(rand() * 5)];
    const kind = ["a", "b", "c"][Math.floor(rand() * 3)];
    const y = rand() < 0.05 ? "" : String(Math.round((Number(f[0] || 0) + 3 * rand()) * 1000) / 1000);
    lines.push([...f, zeros, kind, y].join(","));
  }
  await writeFile(join(tw.dir, "data", "wide.csv"), `${lines.join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "data/wide.csv", dataset_id: "wide" }, ctx));
});
after(async () => tw.cleanup());

for (const cv_folds of [undefined, 3]) {
  test(`train_model (${cv_folds ? "k-fold" : "holdout"}) stores the snapshot, drift reference and reference stats each builder computes alone from the data, byte for byte`, async () => {
    const run = ok(
      await runTool(
        "train_model",
        { dataset_id: "wide", target: "y", features: FEATURES, algorithm: "linear_regression", seed: 5, ...(cv_folds ? { cv_folds } : {}) },
        ctx,
      ),
    );
    const oid = (await ctx.workspace.readRef(runRef(run.run_id)))!;
    const stored = async (path: string) => (await ctx.workspace.readText(oid, path))!;
    const { record, ds } = await readDataset(ctx.workspace, "wide");
    const y = ds.columns.find((c) => c.name === "y")!.values as Float64Array;
    const keep = [...y.keys()].filter((i) => !Number.isNaN(y[i]));
    const shuffled = shuffledRows(keep, 5);
    const trainRows = cv_folds ? shuffled : holdoutSplit(shuffled, 0.2).train;
    assert.equal(run.rows.train, trainRows.length);

    assert.equal(await stored(TRAINING_SNAPSHOT_PATH), documentText(buildTrainingSnapshot(ds, [...FEATURES, "y"])));

    const modelText = await stored("model.json");
    const model = JSON.parse(modelText);
    const numeric = FEATURES.filter((f) => f !== "kind");
    assert.deepEqual(Object.keys(model.reference_stats), numeric);
    for (const name of numeric) {
      const values = ds.columns.find((c) => c.name === name)!.values as Float64Array;
      assert.deepEqual(model.reference_stats[name], JSON.parse(JSON.stringify(featureStats(Float64Array.from(trainRows, (r) => values[r])))), name);
    }

    // The imputer's medians, taken from the same sort, are fitPipeline's by selection (a column with no missing value included).
    const features = FEATURES.map((f) => ds.columns.find((c) => c.name === f)!);
    assert.equal(JSON.stringify(model.preprocessing), JSON.stringify(fitPipeline(features, trainRows, { scale: false })));

    const reference = DriftReference.parse(JSON.parse(await stored(DRIFT_REFERENCE_PATH)));
    const rebuilt = buildDriftReference({
      runId: run.run_id,
      ds,
      data: { dataset_id: record.dataset_id, sha256: record.sha256 },
      model: loadModel(modelText, "model.json"),
      performance: reference.performance,
      seed: 5,
    });
    assert.equal(await stored(DRIFT_REFERENCE_PATH), rebuilt.files[DRIFT_REFERENCE_PATH]);
  });
}
