import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../../src/index.js";
import { ok } from "../../../helpers/results.js";
import { createRandom } from "../../../../src/models/random.js";
import { loadModel, scoreModel } from "../../../../src/models/scoreModel.js";
import { readDataset } from "../../../../src/data/readDataset.js";
import { cachePath } from "../../../../src/data/dataCache.js";
import { forgetReadDatasets } from "../../../../src/data/readDataset.js";
import { runRef } from "../../../../src/runs/runId.js";
import { DRIFT_REFERENCE_PATH, DRIFT_SAMPLE_PATH, REFERENCE_SAMPLE_ROWS } from "../../../../src/monitoring/reference/DriftReference.js";
import { readDriftReference } from "../../../../src/monitoring/reference/readDriftReference.js";
import { buildDriftReference } from "../../../../src/monitoring/reference/buildDriftReference.js";

let tw: TempWorkspace;
let ctx: ToolContext;

before(async () => {
  tw = await makeTempWorkspace("dw-driftref-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
});
after(async () => tw.cleanup());

test("a run stores its drift reference: every input, the target and the prediction, with the model's predictions on the sample", async () => {
  const run = ok(
    await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "precipitation", "wind", "weather", "date"] }, ctx),
  );
  const ref = await readDriftReference(ctx.workspace, run.run_id);
  const r = ref.reference;
  assert.equal(ref.origin, "stored");
  assert.equal(r.task, "regression");
  assert.equal(r.rows, 1461);
  assert.deepEqual(
    r.features.map((f) => [f.name, f.kind]),
    [
      ["temp_min", "number"],
      ["precipitation", "number"],
      ["wind", "number"],
      ["weather", "category"],
    ],
  );
  assert.deepEqual(
    r.skipped.map((s) => s.name),
    ["date"],
  );
  const weather = r.features[3];
  assert.ok(weather.kind === "category");
  assert.deepEqual([...weather.categories].sort(), ["drizzle", "fog", "rain", "snow", "sun"]);
  assert.equal(
    weather.category_counts.reduce((a, b) => a + b, 0),
    1461,
  );
  const tmin = r.features[0];
  assert.ok(tmin.kind === "number");
  assert.equal(
    tmin.bin_counts.reduce((a, b) => a + b, 0),
    1461,
  );
  assert.equal(tmin.edges.length + 1, tmin.bin_counts.length);
  assert.equal(tmin.min, -7.1);
  assert.ok(tmin.distinct > 5);
  assert.deepEqual(r.performance, { evaluation: "holdout", metrics: run.metrics });

  // 1,461 rows < the sample size: the sample is every row, in order, and its prediction is what
  // the stored model answers for them.
  assert.equal(ref.sample.rows, 1461);
  const { ds } = await readDataset(ctx.workspace, "weather");
  const tminSample = ref.sample.features.get("temp_min")!;
  assert.ok(tminSample.kind === "number");
  assert.deepEqual([...tminSample.values], [...(ds.columns.find((c) => c.name === "temp_min")!.values as Float64Array)]);
  const oid = (await ctx.workspace.readRef(runRef(run.run_id)))!;
  const model = loadModel((await ctx.workspace.readText(oid, "model.json"))!, "model.json");
  const served = scoreModel(model, {
    columns: ds.columns.map((c) => c.name),
    rows: Array.from({ length: ds.rows }, (_, i) => ds.columns.map((c) => (c.type === "number" ? c.values[i] : c.values[i]))),
  }) as number[];
  const predicted = ref.sample.prediction;
  assert.ok(predicted.kind === "number");
  for (let i = 0; i < ds.rows; i++) assert.ok(Math.abs(predicted.values[i] - served[i]) <= 5e-6 * Math.abs(served[i]) + 1e-12, `row ${i}`);
  assert.ok(r.prediction.kind === "number" && r.prediction.count === 1461);
});

test("a classifier's target and prediction are categories, the prediction's values among its classes", async () => {
  const run = ok(
    await runTool(
      "train_model",
      { dataset_id: "weather", target: "weather", features: ["temp_min", "temp_max", "precipitation", "wind"], algorithm: "decision_tree" },
      ctx,
    ),
  );
  const { reference: r, sample } = await readDriftReference(ctx.workspace, run.run_id);
  assert.equal(r.task, "classification");
  assert.ok(r.target.kind === "category" && r.prediction.kind === "category");
  assert.equal(
    r.target.category_counts.reduce((a, b) => a + b, 0),
    1461,
  );
  for (const c of r.prediction.categories) assert.ok(run.classes.includes(c), c);
  assert.ok(sample.prediction.kind === "category");
  assert.equal(sample.prediction.values.length, 1461);
  assert.equal(r.performance.metrics.accuracy, run.metrics.accuracy);
});

test("the sample is seeded: the same seed draws the same rows, another seed others; 20 features × 20,000 rows stay a few hundred KB", async () => {
  const rand = createRandom(7);
  const names = Array.from({ length: 20 }, (_, j) => `c${String(j).padStart(2, "0")}`);
  const lines = [[...names, "y"].join(",")];
  for (let i = 0; i < 20_000; i++) {
    const x = names.map(() => rand() * 100 - 50);
    lines.push([...x, x[0] * 2 + x[1] + rand()].join(","));
  }
  await writeFile(join(tw.dir, "data", "wide.csv"), `${lines.join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "data/wide.csv", dataset_id: "wide" }, ctx));
  const a = ok(await runTool("train_model", { dataset_id: "wide", target: "y", seed: 3 }, ctx));
  const b = ok(await runTool("train_model", { dataset_id: "wide", target: "y", seed: 3 }, ctx));
  const c = ok(await runTool("train_model", { dataset_id: "wide", target: "y", seed: 4 }, ctx));
  const files = async (runId: string) => {
    const oid = (await ctx.workspace.readRef(runRef(runId)))!;
    return { reference: (await ctx.workspace.readText(oid, DRIFT_REFERENCE_PATH))!, sample: (await ctx.workspace.readText(oid, DRIFT_SAMPLE_PATH))! };
  };
  const [fa, fb, fc] = [await files(a.run_id), await files(b.run_id), await files(c.run_id)];
  assert.equal(fa.sample, fb.sample);
  assert.notEqual(fa.sample, fc.sample);
  const ra = await readDriftReference(ctx.workspace, a.run_id);
  assert.equal(ra.sample.rows, REFERENCE_SAMPLE_ROWS);
  assert.equal(ra.reference.rows, 20_000);
  // In git (zlib, as objects are stored) the two files of a run with 20 features stay small.
  const stored = deflateSync(fa.reference).length + deflateSync(fa.sample).length;
  assert.ok(stored < 600_000, `reference + sample take ${stored} bytes in git`);
  assert.ok(fa.reference.length < 100_000, `reference.json is ${fa.reference.length} bytes`);

  // The sample's rows are dataset rows: each sampled row's y is that row's y.
  const { ds } = await readDataset(ctx.workspace, "wide");
  const y = ds.columns.find((col) => col.name === "y")!.values as Float64Array;
  const c00 = ds.columns.find((col) => col.name === "c00")!.values as Float64Array;
  const sy = ra.sample.target;
  const s0 = ra.sample.features.get("c00")!;
  assert.ok(sy.kind === "number" && s0.kind === "number");
  const byC00 = new Map<number, number>();
  for (let i = 0; i < ds.rows; i++) byC00.set(Number(c00[i].toPrecision(6)), Number(y[i].toPrecision(6)));
  for (let i = 0; i < 50; i++) assert.equal(byC00.get(s0.values[i]), sy.values[i]);

  // built directly: sampleRows and seed decide the rows
  const model = loadModel((await ctx.workspace.readText((await ctx.workspace.readRef(runRef(a.run_id)))!, "model.json"))!, "model.json");
  const build = (seed: number) =>
    buildDriftReference({
      runId: a.run_id,
      ds,
      data: { dataset_id: "wide", sha256: "x" },
      model,
      performance: ra.reference.performance,
      seed,
      sampleRows: 100,
    });
  assert.deepEqual(build(1).loaded.sample, build(1).loaded.sample);
  assert.notDeepEqual(build(1).loaded.sample.target, build(2).loaded.sample.target);
});

test("a run made before references were stored gets one built from its cached data; without the data, the error says what to do", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx));
  const ws = ctx.workspace;
  const oid = (await ws.readRef(runRef(run.run_id)))!;
  // The same run without its monitoring/ files, as dw wrote runs before this.
  const old = "20200101-000000-abcdef";
  const files: Record<string, string> = {};
  for (const f of ["run.json", "params.json", "metrics.json", "data/manifest.json", "model.json"]) files[f] = (await ws.readText(oid, f))!;
  await ws.commit({ ref: runRef(old), message: "an older run", files });
  const stored = await readDriftReference(ws, run.run_id);
  const rebuilt = await readDriftReference(ws, old);
  assert.equal(rebuilt.origin, "rebuilt");
  assert.deepEqual({ ...rebuilt.reference, run_id: run.run_id }, stored.reference);
  assert.deepEqual(rebuilt.sample, stored.sample);

  const sha = JSON.parse(files["data/manifest.json"]).sha256;
  await rm(cachePath(ws, sha));
  forgetReadDatasets();
  await assert.rejects(readDriftReference(ws, old), (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, "NOT_FOUND");
    assert.match(e.message, /trained before dw stored drift references/);
    assert.match(e.hint ?? "", /baseline_dataset_id/);
    return true;
  });
});
