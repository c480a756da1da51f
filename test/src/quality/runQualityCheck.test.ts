import { test, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok, err } from "../../helpers/results.js";
import { createToolContext, runTool, renderResultHtml } from "../../../src/index.js";
import { buildTrainingSnapshot, readLastTrainingSnapshot, TRAINING_SNAPSHOT_PATH } from "../../../src/quality/trainingSnapshot.js";
import { vegaText, filterCsv, csv } from "./fixtures.js";

const tw = await makeTempWorkspace("dw-quality-");
after(() => tw.cleanup());
const ctx = await createToolContext({ cwd: tw.dir });
ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));

/** A run commit as train_model writes it: run.json naming the dataset, and the training snapshot. */
async function writeRun(runId: string, datasetId: string, snapshot: unknown): Promise<void> {
  await ctx.workspace.withLock(() =>
    ctx.workspace.commit({
      ref: `refs/dw/runs/${runId}`,
      message: `run ${runId}`,
      files: { "run.json": JSON.stringify({ run_id: runId, data: { dataset_id: datasetId } }), [TRAINING_SNAPSHOT_PATH]: JSON.stringify(snapshot) },
    }),
  );
}

test("run_quality_check on a loaded CSV: a report with every check, scores by dimension, thresholds, and an HTML face", async () => {
  const r = ok(await runTool("run_quality_check", { dataset_id: "w", target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"] }, ctx));
  assert.equal(r.gate, "quality");
  assert.equal(r.status, "warn", "snow is 1.8% of the rows");
  assert.equal(r.rows, 1461);
  assert.equal(r.reference_run, null);
  assert.deepEqual(r.columns_checked, ["precipitation", "temp_max", "temp_min", "wind", "weather"]);
  assert.deepEqual(
    new Set(r.findings.map((f: { check: string }) => f.check)),
    new Set(["null_rate", "duplicate_rows", "type_mismatch", "freshness", "constant_column", "id_like_feature", "target_leakage", "class_imbalance"]),
  );
  assert.equal(r.scores.dimensions.completeness.score, 100);
  assert.equal(r.scores.dimensions.consistency.score, null);
  assert.equal(r.scores.dimensions.suitability.status, "warn");
  assert.equal(r.thresholds.drift.warn, 0.1);
  const html = renderResultHtml("run_quality_check", r);
  assert.match(html, /data-dw-tool="run_quality_check"/);
  assert.match(html, /completeness/);
  assert.match(html, /class_imbalance/);
  assert.match(html, /dw-warn/);
  assert.doesNotMatch(html, /undefined|NaN|\[object Object\]/);

  const s = ok(await runTool("get_quality_score", { dataset_id: "w", target: "weather" }, ctx));
  assert.equal(s.status, "warn");
  assert.deepEqual(s.warned, ["class_imbalance:weather"]);
  assert.equal(s.scores.overall, r.scores.overall);
  assert.match(renderResultHtml("get_quality_score", s), /Quality score/);
});

test("the last training snapshot of the same dataset is found in the run commits and compared with", async () => {
  const text = vegaText("seattle-weather");
  // An older run on other data of the same id, a newer run of another dataset, and the one to use.
  await writeRun("20250101-000000-aaaaaa", "w", buildTrainingSnapshot(csv(filterCsv(text, (f) => f[0] >= "2015-06")), ["temp_max"]));
  await writeRun(
    "20250102-000000-bbbbbb",
    "w",
    buildTrainingSnapshot(csv(filterCsv(text, (f) => f[0] < "2013")), ["precipitation", "temp_max", "temp_min", "wind", "weather"]),
  );
  await writeRun("20250103-000000-cccccc", "other", buildTrainingSnapshot(csv(text), ["wind"]));
  const last = await readLastTrainingSnapshot(ctx.workspace, "w");
  assert.equal(last?.run_id, "20250102-000000-bbbbbb");
  assert.equal(last?.snapshot.rows, 366);
  assert.equal(await readLastTrainingSnapshot(ctx.workspace, "nobody"), null);

  const r = ok(await runTool("run_quality_check", { dataset_id: "w", target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"] }, ctx));
  assert.equal(r.reference_run, "20250102-000000-bbbbbb");
  const rowCount = r.findings.find((f: { check: string }) => f.check === "row_count_change");
  assert.equal(rowCount.status, "fail", "1461 rows against 366: +299%");
  assert.equal(r.findings.filter((f: { check: string }) => f.check === "drift").length, 5);
  assert.equal(r.status, "fail");
  assert.ok(r.scores.dimensions.consistency.score < 50);
});

test("bad input: unknown dataset, unknown column, target among features, neither dataset nor table", async () => {
  assert.equal(err(await runTool("run_quality_check", { dataset_id: "nope" }, ctx)).code, "NOT_FOUND");
  const col = err(await runTool("run_quality_check", { dataset_id: "w", features: ["wind", "humidity"] }, ctx));
  assert.equal(col.code, "INVALID_INPUT");
  assert.match(col.message, /no column 'humidity'/);
  assert.equal(col.details?.field, "features");
  assert.equal(err(await runTool("run_quality_check", { dataset_id: "w", target: "wind", features: ["wind"] }, ctx)).code, "INVALID_INPUT");
  assert.equal(err(await runTool("run_quality_check", {}, ctx)).details?.field, "dataset_id");
  assert.equal(err(await runTool("run_quality_check", { dataset_id: "w", connection: "x" }, ctx)).details?.field, "connection");
});

test("a corrupted training snapshot is reported, naming the run and the field", async () => {
  await writeRun("20250104-000000-dddddd", "w", { format: "dw.snapshot/1", rows: "many", columns: [] });
  const e = err(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  assert.equal(e.code, "DATA_ERROR");
  assert.match(e.message, /20250104-000000-dddddd/);
  assert.equal(e.details?.field, "rows");
  await ctx.workspace.deleteRef("refs/dw/runs/20250104-000000-dddddd");
  await writeFile(join(tw.dir, "unused.txt"), "");
});
