import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir, stat, writeFile, appendFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, runTool, openWorkspace, type ToolContext } from "../../../src/index.js";
import { forgetProfiles, profileCacheCounts, profileCacheDir, profilePartPath, PROFILE_VERSION } from "../../../src/data/profileCache.js";
import { dataVersion } from "../../../src/data/profileCacheKey.js";
import { parseLossless, stringifyLossless } from "../../../src/data/profileCacheJson.js";
import { readDatasetRecord } from "../../../src/data/datasetRecords.js";
import { readDataset, forgetReadDatasets } from "../../../src/data/readDataset.js";
import { profileColumn } from "../../../src/data/profileColumn.js";
import { profileDataset } from "../../../src/quality/profileDataset.js";
import { profileForRequest } from "../../../src/quality/profileForRequest.js";
import { cachedTableProfile } from "../../../src/quality/cachedTableProfile.js";

/** A workspace with the weather data loaded as "w". */
async function weather(t: TestContext): Promise<{ dir: string; ctx: ToolContext }> {
  const tw = await makeTempWorkspace("dw-profile-cache-");
  t.after(() => tw.cleanup());
  const ctx = await createToolContext({ cwd: tw.dir });
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));
  return { dir: tw.dir, ctx };
}

/** A report without what differs from call to call (the clock and the timings). */
function stable(report: Record<string, unknown>): Record<string, unknown> {
  const { checked_at: _c, timings_ms: _t, ...rest } = report;
  return rest;
}

async function tableFile(dir: string): Promise<string> {
  const ws = await openWorkspace(dir);
  return profilePartPath(ws, dataVersion(ws, await readDatasetRecord(ws, "w")), "table");
}

test("a data version is profiled once: a second quality check, from memory or from disk, computes nothing and reports the same", async (t) => {
  const { dir, ctx } = await weather(t);
  const before = profileCacheCounts();
  const first = ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  const afterFirst = profileCacheCounts();
  assert.equal(afterFirst.computed - before.computed, 1, "the first check computes the profile");
  const file = await tableFile(dir);
  const written = await stat(file);

  const second = ok(await runTool("get_quality_score", { dataset_id: "w" }, ctx));
  const third = ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  forgetProfiles();
  forgetReadDatasets();
  const fourth = ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  const after = profileCacheCounts();
  assert.equal(after.computed, afterFirst.computed, "no later call computes it again");
  assert.equal(after.fromMemory - afterFirst.fromMemory, 2);
  assert.equal(after.fromDisk - afterFirst.fromDisk, 1, "a new process (memory forgotten) reads the file");
  assert.equal((await stat(file)).mtimeMs, written.mtimeMs, "the stored profile is not rewritten");
  assert.deepEqual(stable(third), stable(first));
  assert.deepEqual(stable(fourth), stable(first));
  assert.equal(second.scores.overall, first.scores.overall);
});

test("the cached profile with a request's reference and target is exactly the profile computed from scratch", async (t) => {
  const { dir } = await weather(t);
  const ws = await openWorkspace(dir);
  const { record, ds } = await readDataset(ws, "w");
  const request = {
    target: "weather",
    reference: [
      { name: "wind", min: 1, max: 6, edges: [2, 3, 4.5] },
      { name: "date", min: "2013-01-01", max: "2014-12-31", edges: [Date.parse("2013-06-01")] },
      { name: "weather", categories: ["sun", "rain"] },
    ],
  };
  const base = await cachedTableProfile(ws, { version: dataVersion(ws, record) }, async () => ds);
  forgetProfiles();
  const fromDisk = await cachedTableProfile(ws, { version: dataVersion(ws, record) }, async () => assert.fail("the stored profile is used"));
  assert.deepEqual(fromDisk, base);
  const whole = profileDataset(ds, request);
  assert.deepEqual(profileForRequest(ds, fromDisk, request), whole);
  assert.deepEqual(whole.columns.find((c) => c.name === "weather")?.binCounts?.length, 3);
  assert.ok(whole.leakage && whole.leakage.length > 0 && whole.classCounts);
  assert.equal(base.columns.find((c) => c.name === "wind")?.binCounts, undefined, "the stored profile holds nothing of any request");
});

test("a changed file (a new hash) gets a profile of its own; the old one stays for the old version", async (t) => {
  const { dir, ctx } = await weather(t);
  const first = ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  const oldFile = await tableFile(dir);
  await appendFile(join(dir, "data", "seattle-weather.csv"), "2016-01-01,0.0,5.0,1.0,2.0,sun\n");
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));
  const before = profileCacheCounts();
  const second = ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 1, "the new data version is profiled");
  assert.equal(first.rows, 1461);
  assert.equal(second.rows, 1462);
  const newFile = await tableFile(dir);
  assert.notEqual(newFile, oldFile);
  const names = await readdir(profileCacheDir(await openWorkspace(dir)));
  assert.ok(names.includes(newFile.split("/").pop()!) && names.includes(oldFile.split("/").pop()!), names.join(", "));
});

test("a corrupt, truncated, foreign or old-version profile file is recomputed and replaced, never trusted", async (t) => {
  const { dir, ctx } = await weather(t);
  const good = ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  const file = await tableFile(dir);
  const valid = await readFile(file, "utf8");
  const stored = JSON.parse(valid);
  const lie = structuredClone(stored);
  lie.value.rows = 5;
  lie.value.columns[0].nulls = "none";
  const bad = [
    "{ not json",
    valid.slice(0, valid.length / 2),
    JSON.stringify({ ...stored, profile_version: PROFILE_VERSION + 1 }),
    JSON.stringify({ ...stored, data_version: "0".repeat(64) + ".csv.44.v2" }),
    JSON.stringify(lie),
  ];
  for (const text of bad) {
    await writeFile(file, text);
    forgetProfiles();
    const before = profileCacheCounts();
    const again = ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
    assert.equal(profileCacheCounts().computed - before.computed, 1, `recomputed after ${text.slice(0, 40)}`);
    assert.deepEqual(stable(again), stable(good));
    assert.deepEqual(JSON.parse(await readFile(file, "utf8")), stored, "the file is written again, whole");
  }
});

test("get_feature_stats summarises each column of a data version once, the same numbers as profileColumn", async (t) => {
  const { dir, ctx } = await weather(t);
  const before = profileCacheCounts();
  const some = ok(await runTool("get_feature_stats", { dataset_id: "w", columns: ["wind", "weather"] }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 2);
  const all = ok(await runTool("get_feature_stats", { dataset_id: "w" }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 6, "only the four columns not summarised yet");
  forgetProfiles();
  const again = ok(await runTool("get_feature_stats", { dataset_id: "w" }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 6, "read back from disk");
  const { ds } = await readDataset(await openWorkspace(dir), "w");
  assert.deepEqual(
    again.columns,
    ds.columns.map((c) => JSON.parse(JSON.stringify(profileColumn(c)))),
  );
  assert.deepEqual(all, again);
  assert.deepEqual(some.columns, [all.columns[4], all.columns[5]]);
  const missing = await runTool("get_feature_stats", { dataset_id: "w", columns: ["wind", "gust"] }, ctx);
  assert.ok(!missing.ok && missing.error.code === "INVALID_INPUT" && /gust/.test(missing.error.message), JSON.stringify(missing));
});

test("numbers survive the file bit for bit: NaN, infinities and -0 included", () => {
  const value = { a: [NaN, Infinity, -Infinity, -0, 0, 0.1 + 0.2, 5e-324, -1.7976931348623157e308], b: { $number: "x" } };
  const back = parseLossless(stringifyLossless(value)) as typeof value;
  assert.ok(Object.is(back.a[3], -0) && Object.is(back.a[4], 0));
  assert.deepEqual(back, value);
});

test("scan_pii scans each column of a data version once per sample size, with the same findings", async (t) => {
  const { ctx } = await weather(t);
  const before = profileCacheCounts();
  const first = ok(await runTool("scan_pii", { dataset_id: "w" }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 6);
  forgetProfiles();
  const second = ok(await runTool("scan_pii", { dataset_id: "w", columns: ["weather", "date"] }, ctx));
  const third = ok(await runTool("scan_pii", { dataset_id: "w" }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 6, "read back, not scanned again");
  const { summary: _a, ...a } = first;
  const { summary: _c, ...c } = third;
  assert.deepEqual(c, a);
  assert.equal(third.summary.values_scanned, first.summary.values_scanned);
  assert.deepEqual(second.summary.columns_scanned, 2);
  ok(await runTool("scan_pii", { dataset_id: "w", sample_size: 100 }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 12, "another sample size is another scan");
});

test("estimate_cost counts the same classes and categories from the stored profile as from the rows", async (t) => {
  const { ctx } = await weather(t);
  const input = { algorithm: "random_forest", dataset_id: "w", target: "weather" };
  const counted = ok(await runTool("estimate_cost", input, ctx));
  ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  const before = profileCacheCounts();
  const fromProfile = ok(await runTool("estimate_cost", input, ctx));
  assert.ok(profileCacheCounts().fromMemory > before.fromMemory, "the stored profile was read");
  // Calibration is measured by the first estimate of a workspace ("fresh" then), not by the data.
  const { calibration: _a, ...a } = fromProfile.estimate;
  const { calibration: _b, ...b } = counted.estimate;
  assert.deepEqual(a, b);
  assert.equal(a.features, 9, "five date parts and four numbers");
});

test("train_model's gates read the profile and the PII scans stored for the data version, and a check after a training computes nothing", async (t) => {
  const { ctx } = await weather(t);
  ok(await runTool("run_quality_check", { dataset_id: "w" }, ctx));
  ok(await runTool("scan_pii", { dataset_id: "w" }, ctx));
  forgetProfiles(); // as a new process (the kernel after the CLI) would start
  const before = profileCacheCounts();
  const run = ok(await runTool("train_model", { dataset_id: "w", target: "temp_max", features: ["temp_min", "wind"] }, ctx));
  assert.equal(run.gates.find((g: { gate: string }) => g.gate === "quality")?.status, "pass");
  assert.equal(profileCacheCounts().computed, before.computed, "the gates profiled and scanned nothing again");
  assert.ok(profileCacheCounts().fromDisk > before.fromDisk, "they read what was stored");
  ok(await runTool("run_quality_check", { dataset_id: "w", target: "temp_max" }, ctx));
  assert.equal(profileCacheCounts().computed, before.computed);
});
