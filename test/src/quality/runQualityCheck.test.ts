import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok, err } from "../../helpers/results.js";
import { createToolContext, runTool, renderResultHtml, type ToolContext } from "../../../src/index.js";
import { readLastTrainingSnapshot, TRAINING_SNAPSHOT_PATH } from "../../../src/quality/trainingSnapshot.js";
import { vegaText, filterCsv } from "./fixtures.js";

/** A workspace of the test's own, with the weather data loaded as "w". */
async function weatherWorkspace(t: TestContext): Promise<{ tw: TempWorkspace; ctx: ToolContext }> {
  const tw = await makeTempWorkspace("dw-quality-");
  t.after(() => tw.cleanup());
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));
  return { tw, ctx };
}

test("run_quality_check on a loaded CSV: a report with every check, scores by dimension, thresholds, and an HTML face", async (t) => {
  const { ctx } = await weatherWorkspace(t);
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

test("the last training snapshot of the same dataset is found in the run commits and compared with", async (t) => {
  const { tw, ctx } = await weatherWorkspace(t);
  const text = vegaText("seattle-weather");
  await writeFile(
    join(tw.dir, "data", "late.csv"),
    filterCsv(text, (f) => f[0] >= "2015-06"),
  );
  await writeFile(
    join(tw.dir, "data", "early.csv"),
    filterCsv(text, (f) => f[0] < "2013"),
  );
  /** A real train_model run on `path` loaded as `datasetId`, at the time `at` (run ids sort by it). */
  const train = async (at: string, path: string, datasetId: string, target: string, features: string[]) => {
    ok(await runTool("load_dataset", { path, dataset_id: datasetId }, ctx));
    ctx.now = () => new Date(at);
    const override_reason = "slices of one dataset, trained on purpose to change under the quality gate";
    return ok(await runTool("train_model", { dataset_id: datasetId, target, features, algorithm: "decision_tree", override_reason }, ctx)).run_id as string;
  };
  // An older run on other data of the same id, a newer run of another dataset, and the one to use.
  await train("2025-01-01T00:00:00Z", "data/late.csv", "w", "temp_max", ["wind"]);
  const early = await train("2025-01-02T00:00:00Z", "data/early.csv", "w", "weather", ["precipitation", "temp_max", "temp_min", "wind"]);
  await train("2025-01-03T00:00:00Z", "data/seattle-weather.csv", "other", "temp_max", ["wind"]);
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));
  const last = await readLastTrainingSnapshot(ctx.workspace, "w");
  assert.equal(last?.run_id, early);
  assert.equal(last?.snapshot.rows, 366);
  assert.equal(await readLastTrainingSnapshot(ctx.workspace, "nobody"), null);

  const r = ok(await runTool("run_quality_check", { dataset_id: "w", target: "weather", features: ["precipitation", "temp_max", "temp_min", "wind"] }, ctx));
  assert.equal(r.reference_run, early);
  const rowCount = r.findings.find((f: { check: string }) => f.check === "row_count_change");
  assert.equal(rowCount.status, "fail", "1461 rows against 366: +299%");
  assert.equal(r.findings.filter((f: { check: string }) => f.check === "drift").length, 5);
  assert.equal(r.status, "fail");
  assert.ok(r.scores.dimensions.consistency.score < 50);
});

test("bad input: unknown dataset, unknown column, target among features, neither dataset nor table", async (t) => {
  const { ctx } = await weatherWorkspace(t);
  assert.equal(err(await runTool("run_quality_check", { dataset_id: "nope" }, ctx)).code, "NOT_FOUND");
  const col = err(await runTool("run_quality_check", { dataset_id: "w", features: ["wind", "humidity"] }, ctx));
  assert.equal(col.code, "INVALID_INPUT");
  assert.match(col.message, /no column 'humidity'/);
  assert.equal(col.details?.field, "features");
  assert.equal(err(await runTool("run_quality_check", { dataset_id: "w", target: "wind", features: ["wind"] }, ctx)).code, "INVALID_INPUT");
  assert.equal(err(await runTool("run_quality_check", {}, ctx)).details?.field, "dataset_id");
  assert.equal(err(await runTool("run_quality_check", { dataset_id: "w", connection: "x" }, ctx)).details?.field, "connection");
});

// A damaged document cannot come from train_model: this run commit is written by hand, as a
// teammate's push or a hand edit could leave it.
test("a corrupted training snapshot is reported, naming the run and the field", async (t) => {
  const { ctx } = await weatherWorkspace(t);
  const runId = "20250104-000000-dddddd";
  await ctx.workspace.withLock(() =>
    ctx.workspace.commit({
      ref: `refs/dw/runs/${runId}`,
      message: `run ${runId}`,
      files: {
        "run.json": JSON.stringify({ run_id: runId, data: { dataset_id: "w" } }),
        [TRAINING_SNAPSHOT_PATH]: JSON.stringify({ format: "dw.snapshot/1", rows: "many", columns: [] }),
      },
    }),
  );
  const e = err(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  assert.equal(e.code, "DATA_ERROR");
  assert.match(e.message, /20250104-000000-dddddd/);
  assert.equal(e.details?.field, "rows");
});
