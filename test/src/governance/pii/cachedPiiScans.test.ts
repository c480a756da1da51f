import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../../helpers/tempWorkspace.js";
import { ok } from "../../../helpers/results.js";
import { createToolContext, openWorkspace, runTool, type ToolContext } from "../../../../src/index.js";
import { forgetProfiles, profileCacheCounts } from "../../../../src/data/profileCache.js";
import { dataVersion } from "../../../../src/data/profileCacheKey.js";
import { forgetReadDatasets, readDataset } from "../../../../src/data/readDataset.js";
import { scanDatasetPii } from "../../../../src/governance/pii/scanDatasetPii.js";
import { governanceGateForTraining } from "../../../../src/governance/policy/governanceGateForTraining.js";

/** A workspace with "c" loaded: an email column (forbidden as a feature by the default policy), a number and a target. */
async function customers(t: TestContext): Promise<{ dir: string; ctx: ToolContext }> {
  const tw = await makeTempWorkspace("dw-pii-cache-");
  t.after(() => tw.cleanup());
  const lines = ["email,age,y"];
  for (let i = 0; i < 60; i++) lines.push(`person${i}@example.org,${20 + (i % 40)},${i % 2}`);
  await writeFile(join(tw.dir, "data", "c.csv"), lines.join("\n") + "\n");
  const ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  ok(await runTool("load_dataset", { path: "data/c.csv", dataset_id: "c" }, ctx));
  return { dir: tw.dir, ctx };
}

test("the training gate reads the scans scan_pii stored for the data version, and finds what a fresh scan finds", async (t) => {
  const { dir, ctx } = await customers(t);
  const before = profileCacheCounts();
  const scan = ok(await runTool("scan_pii", { dataset_id: "c", columns: ["email", "age"] }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 2, "scan_pii scans both columns");
  assert.deepEqual(
    scan.findings.map((f: { column: string; entity: string }) => `${f.column}:${f.entity}`),
    ["email:EMAIL_ADDRESS"],
  );

  forgetProfiles();
  forgetReadDatasets();
  const ws = await openWorkspace(dir);
  const { record, ds } = await readDataset(ws, "c");
  const atScan = profileCacheCounts();
  const gate = await governanceGateForTraining(ctx, { datasetId: "c", ds, features: ["email", "age"], target: "y", version: dataVersion(ws, record) });
  const after = profileCacheCounts();
  assert.equal(after.computed, atScan.computed, "nothing is scanned again");
  assert.equal(after.fromDisk - atScan.fromDisk, 1, "the scans come from the stored part");
  assert.equal(gate.decision, "deny");
  assert.deepEqual(gate.pii, scanDatasetPii(ds, { columns: ["email", "age"] }), "the stored scans are the scan of the data");
  assert.deepEqual(gate.pii, scan.findings);
});

test("without a data version the gate scans the Dataset it was given once, for as long as that Dataset lives", async (t) => {
  const { dir, ctx } = await customers(t);
  forgetReadDatasets();
  const { ds } = await readDataset(await openWorkspace(dir), "c");
  const before = profileCacheCounts();
  const first = await governanceGateForTraining(ctx, { datasetId: "c", ds, features: ["age", "email"], target: "y" });
  assert.equal(profileCacheCounts().computed - before.computed, 2);
  const second = await governanceGateForTraining(ctx, { datasetId: "c", ds, features: ["email"], target: "y" });
  assert.equal(profileCacheCounts().computed - before.computed, 2, "the second gate on the same Dataset scans nothing");
  assert.deepEqual(second.pii, first.pii);
  assert.equal(first.decision, "deny");
  // Another Dataset (another object, even of the same data) is not trusted to be the same data.
  const other = { ...ds, columns: ds.columns.map((c) => ({ ...c })) };
  await governanceGateForTraining(ctx, { datasetId: "c", ds: other, features: ["email"], target: "y" });
  assert.equal(profileCacheCounts().computed - before.computed, 3);
});

test("a stored scan is per sample size: scan_pii with another sample size scans again, and a feature missing from the data is INVALID_INPUT", async (t) => {
  const { ctx } = await customers(t);
  const before = profileCacheCounts();
  ok(await runTool("scan_pii", { dataset_id: "c", columns: ["email"] }, ctx));
  const small = ok(await runTool("scan_pii", { dataset_id: "c", columns: ["email"], sample_size: 10 }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 2);
  assert.equal(small.summary.values_scanned, 10);
  const again = ok(await runTool("scan_pii", { dataset_id: "c", columns: ["email"], sample_size: 10 }, ctx));
  assert.equal(profileCacheCounts().computed - before.computed, 2);
  assert.deepEqual(again.findings, small.findings);
  const missing = await runTool("scan_pii", { dataset_id: "c", columns: ["email", "phone"] }, ctx);
  assert.ok(!missing.ok && missing.error.code === "INVALID_INPUT" && /phone/.test(missing.error.message), JSON.stringify(missing));
});
