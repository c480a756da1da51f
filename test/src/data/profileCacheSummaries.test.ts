import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok } from "../../helpers/results.js";
import { createToolContext, openWorkspace, runTool, type ToolContext } from "../../../src/index.js";
import { forgetProfiles, profileCacheCounts, profilePartPath } from "../../../src/data/profileCache.js";
import { dataVersion } from "../../../src/data/profileCacheKey.js";
import { readDatasetRecord } from "../../../src/data/datasetRecords.js";
import { forgetReadDatasets, readDataset } from "../../../src/data/readDataset.js";
import { profileColumn } from "../../../src/data/profileColumn.js";
import { profileCacheSummaries } from "../../../src/data/profileCacheSummaries.js";

async function workspace(t: TestContext): Promise<{ dir: string; ctx: ToolContext }> {
  const tw = await makeTempWorkspace("dw-summaries-");
  t.after(() => tw.cleanup());
  return { dir: tw.dir, ctx: await createToolContext({ cwd: tw.dir }) };
}

test("a summary holding NaN, ±Infinity or -0 (an all-empty numeric column, an infinite value) is stored losslessly and read back, not recomputed", async (t) => {
  const { dir, ctx } = await workspace(t);
  // load_dataset's preview (the first five rows) holds no infinity: its schema has no place for one.
  const n = 40;
  const column = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const table = tableFromArrays({
    empty: column(() => NaN),
    big: column((i) => (i === n - 1 ? Infinity : i % 7)),
    low: column((i) => (i === n - 1 ? -Infinity : -0)),
    y: column((i) => (i * 37) % 11),
  });
  await writeFile(join(dir, "data", "odd.arrow"), tableToIPC(table, "file"));
  ok(await runTool("load_dataset", { path: "data/odd.arrow", dataset_id: "odd" }, ctx));
  const ws = await openWorkspace(dir);
  const record = await readDatasetRecord(ws, "odd");
  const key = { version: dataVersion(ws, record) };
  const names = ["empty", "big", "low"];
  const { ds } = await readDataset(ws, "odd");
  const before = profileCacheCounts();
  const first = await profileCacheSummaries(ws, key, names, "columns", "odd", async () => ds);
  assert.equal(profileCacheCounts().computed - before.computed, 3);
  const [empty, big, low] = first;
  assert.equal(empty.type, "number");
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.mean) && Number.isNaN(empty.min) && Number.isNaN(empty.quantiles?.p50), JSON.stringify(empty));
  assert.equal(big.max, Infinity);
  assert.equal(low.min, -Infinity);
  assert.ok(Object.is(low.max, -0), "the largest of -Infinity and -0s is -0");

  const file = profilePartPath(ws, key.version, "summaries");
  const text = await readFile(file, "utf8");
  assert.match(text, /\{"\$number":"NaN"\}/);
  assert.match(text, /\{"\$number":"Infinity"\}/);
  assert.match(text, /\{"\$number":"-0"\}/);

  for (let call = 2; call <= 3; call++) {
    forgetProfiles();
    const mark = profileCacheCounts();
    const again = await profileCacheSummaries(ws, key, names, "columns", "odd", async () => assert.fail("the stored summaries are used"));
    const now = profileCacheCounts();
    assert.equal(now.computed, mark.computed, `call ${call}: read back, not recomputed`);
    assert.equal(now.fromDisk - mark.fromDisk, 1);
    assert.deepEqual(again, first, "the same numbers, bit for bit (deepStrictEqual tells NaN, -0 and 0 apart)");
  }
  assert.equal(await readFile(file, "utf8"), text, "the stored part is not rewritten");
  assert.deepEqual(
    first,
    names.map((name) => profileColumn(ds.columns.find((c) => c.name === name)!)),
  );

  // suggest_features, which summarises every column, reads them too (it flags the empty column, and stores y's).
  forgetProfiles();
  forgetReadDatasets();
  const mark = profileCacheCounts();
  const s1 = ok(await runTool("suggest_features", { dataset_id: "odd", target: "y" }, ctx));
  assert.equal(profileCacheCounts().computed - mark.computed, 1, "only y is summarised");
  forgetProfiles();
  const s2 = ok(await runTool("suggest_features", { dataset_id: "odd", target: "y" }, ctx));
  assert.equal(profileCacheCounts().computed - mark.computed, 1, "a new process summarises nothing");
  assert.deepEqual(s2, s1);
  assert.ok(
    s1.flags.some((f: { column: string; kind: string }) => f.column === "empty" && f.kind === "constant"),
    JSON.stringify(s1.flags),
  );
});

test("suggest_features takes its column summaries from the profile cache: computed once, shared with get_feature_stats", async (t) => {
  const { ctx } = await workspace(t);
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));
  const before = profileCacheCounts();
  const first = ok(await runTool("suggest_features", { dataset_id: "w", target: "temp_max" }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 6, "every column summarised once");
  const stats = ok(await runTool("get_feature_stats", { dataset_id: "w" }, ctx));
  forgetProfiles();
  forgetReadDatasets();
  const second = ok(await runTool("suggest_features", { dataset_id: "w", target: "temp_max" }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 6, "get_feature_stats and a second suggest_features compute nothing");
  assert.deepEqual(second, first);
  assert.equal(stats.columns.length, 6);
  assert.ok(first.features.length > 0 && first.features[0].name === "temp_min", JSON.stringify(first.features[0]));
});
